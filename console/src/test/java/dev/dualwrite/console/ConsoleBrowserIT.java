package dev.dualwrite.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.OrdersApi;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Level;
import java.util.regex.Matcher;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The console in a real browser (Debian's headless Chromium), over the whole suite as processes under the lab profile
 * on a real PostgreSQL, Kafka broker and Kafka Connect with Debezium: the page loads without errors and shows every
 * writer, a workload started from the page moves every writer's numbers, both outbox pollers killed from the page are
 * shown down while the backlog grows and drains once they are back, after which the lab's verdict of that workload
 * shows the pattern held, a parked row redriven from the page is published, and the order page shows an order's
 * whole way.
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<Pattern> WRITERS = List.of(
            Pattern.TRANSACTIONAL_OUTBOX,
            Pattern.LISTEN_TO_YOURSELF,
            Pattern.TRANSACTIONAL_LOG_TAILING,
            Pattern.NAIVE_DUAL_WRITE);
    private static final HttpClient HTTP = OrdersApi.client();

    private static StackSettings settings;
    private static WebDriver browser;
    private static String console;

    @BeforeAll
    static void suiteAndBrowser() {
        assertThat(CHROMIUM)
                .as("Debian's chromium (apt-get install chromium; .ci/run installs it)")
                .exists();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").exists();
        settings = RunningSuite.started().settings();
        console = Suite.CONSOLE.url(settings);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1800");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void stopWorkloadAndCheckTheBrowserSawNoError() throws Exception {
        send(HttpRequest.newBuilder(URI.create(console + "/api/workload")).DELETE());
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(errors).as("the browser's console").isEmpty();
    }

    @Test
    void showsTheThreePatternsAndTheNaiveWriteWithEveryProcessUp() {
        browser.get(console);

        eventually().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("section.writer")))
                    .extracting(writer -> writer.getAttribute("data-pattern"))
                    .containsExactlyElementsOf(WRITERS.stream().map(Enum::name).toList());
            List<WebElement> components = browser.findElements(By.cssSelector("[data-component]"));
            assertThat(components)
                    .extracting(component -> component.getAttribute("data-component"))
                    .contains("postgres", "kafka", "connect", "outbox-poller-2", "order-service-naive");
            assertThat(components)
                    .allSatisfy(component -> assertThat(component.getAttribute("data-up"))
                            .as(component.getAttribute("data-component"))
                            .isEqualTo("true"));
            assertThat(figure("connectorState", Pattern.TRANSACTIONAL_LOG_TAILING))
                    .isEqualTo("RUNNING");
        });
    }

    @Test
    void aWorkloadStartedFromThePageMovesEveryWritersNumbers() throws Exception {
        browser.get(console);
        WebElement rate = browser.findElement(By.id("workload-rate"));
        rate.clear();
        // 10 orders/s a writer is enough to move every figure; at 40 (160/s beside the browser and twelve JVMs) the
        // order services answered 503 for want of a connection and listen-to-yourself's metrics timed out (CI)
        rate.sendKeys("10");
        browser.findElement(By.id("workload-start")).click();

        // every figure of every writer has moved at some moment (on two busy cores one second's figure can be 0)
        List<String> figures = List.of("ordersPerSecond", "eventsPerSecond", "appliedPerSecond", "p99Ms");
        Set<String> moved = new TreeSet<>();
        Set<String> expected = new TreeSet<>();
        WRITERS.forEach(writer -> figures.forEach(name -> expected.add(writer + " " + name)));
        eventually().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (Pattern writer : WRITERS) {
                for (String name : figures) {
                    if (number(figure(name, writer)) > 0) {
                        moved.add(writer + " " + name);
                    }
                }
            }
            assertThat(moved).containsAll(expected);
            assertThat(browser.findElement(By.id("workload-state")).getAttribute("data-running"))
                    .isEqualTo("true");
        });
        screenshot("console-under-load.png");

        browser.findElement(By.id("workload-stop")).click();
        eventually()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                browser.findElement(By.id("workload-state")).getAttribute("data-running"))
                        .isEqualTo("false"));
    }

    @Test
    void pollersKilledFromThePageShowTheBacklogGrowAndDrainAndTheVerdictAfterwardsFindsNothingLost() throws Exception {
        browser.get(console);
        send(HttpRequest.newBuilder(URI.create(console + "/api/workload"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"ratePerSecond": 30, "patterns": ["TRANSACTIONAL_OUTBOX"], "confirmPercent": 0, "cancelPercent": 0}
                        """)));
        eventually()
                .atMost(Duration.ofSeconds(30))
                .until(() -> !browser.findElements(By.cssSelector("[data-fault='outbox-poller-2']"))
                        .isEmpty());

        for (Application poller : Suite.OUTBOX.relays()) {
            browser.findElement(By.cssSelector("[data-fault='" + poller.name() + "']"))
                    .click();
        }

        eventually().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("[data-component='outbox-poller-1']"))
                            .getAttribute("data-up"))
                    .isEqualTo("false");
            assertThat(number(figure("backlog", Pattern.TRANSACTIONAL_OUTBOX))).isGreaterThan(20);
        });
        eventually()
                .atMost(Duration.ofMinutes(4))
                .untilAsserted(() -> assertThat(
                                browser.findElements(By.cssSelector("#fault-list [data-fault-state='recovered']")))
                        .extracting(row -> row.getAttribute("data-fault-target"))
                        .contains("outbox-poller-1", "outbox-poller-2"));
        browser.findElement(By.id("verdict-run")).click();
        eventually().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("[data-component='outbox-poller-1']"))
                            .getAttribute("data-up"))
                    .isEqualTo("true");
            assertThat(figure("backlog", Pattern.TRANSACTIONAL_OUTBOX)).isEqualTo("0");
        });
        // the lab's verdict of what the workload produced through the kills: nothing lost, duplicated in effect, ...
        eventually()
                .atMost(Duration.ofMinutes(2))
                .until(() ->
                        !"judging".equals(browser.findElement(By.id("verdict")).getAttribute("data-state")));
        WebElement verdict = browser.findElement(By.id("verdict"));
        assertThat(verdict.getAttribute("data-state")).as(verdict.getText()).isEqualTo("hold");
        assertThat(verdict.getText()).contains("TRANSACTIONAL_OUTBOX", "lost-ack");
        screenshot("console-after-faults.png");
    }

    @Test
    void aParkedEventRedrivenFromThePageIsPublished() throws Exception {
        UUID event = UUID.randomUUID();
        String order = UUID.randomUUID().toString();
        try (Connection db =
                DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password())) {
            eventually().atMost(Duration.ofSeconds(60)).until(() -> publishedOrderCreated(db));
            // a published OrderCreated made into another order's and parked, as a relay leaves a row it gave up on
            PreparedStatement park = db.prepareStatement("""
                    INSERT INTO outbox_events (id, aggregatetype, aggregateid, type, payload, attempts, last_error, parked_at)
                    SELECT ?, aggregatetype, ?, type,
                           jsonb_set(jsonb_set(jsonb_set(payload, '{eventId}', to_jsonb(?::text)),
                                               '{orderId}', to_jsonb(?::text)), '{order,id}', to_jsonb(?::text)),
                           5, 'refused five times (ConsoleBrowserIT)', now()
                      FROM outbox_events WHERE type = 'OrderCreated' AND published_at IS NOT NULL LIMIT 1
                    """);
            park.setObject(1, event);
            park.setString(2, order);
            park.setString(3, event.toString());
            park.setString(4, order);
            park.setString(5, order);
            assertThat(park.executeUpdate()).isOne();

            browser.get(console);
            eventually().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                browser.findElement(By.id("parked-refresh")).click();
                assertThat(browser.findElements(By.cssSelector("[data-redrive='" + event + "']")))
                        .isNotEmpty();
            });
            // once: a second redrive of a row no longer parked is the relay's 404. The table is redrawn whenever it is
            // refreshed, so a button gone before the click is looked up again.
            eventually()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> browser.findElement(By.cssSelector("[data-redrive='" + event + "']"))
                            .click());

            eventually().atMost(Duration.ofSeconds(30)).until(() -> published(db, event));
            eventually()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(browser.findElements(By.cssSelector("[data-redrive='" + event + "']")))
                                    .isEmpty());
        }
    }

    private static boolean publishedOrderCreated(Connection db) throws Exception {
        try (ResultSet rows = db.createStatement()
                .executeQuery("SELECT 1 FROM outbox_events WHERE type = 'OrderCreated' AND published_at IS NOT NULL"
                        + " LIMIT 1")) {
            return rows.next();
        }
    }

    private static boolean published(Connection db, UUID event) throws Exception {
        PreparedStatement query = db.prepareStatement(
                "SELECT published_at IS NOT NULL AND parked_at IS NULL FROM outbox_events WHERE id = ?");
        query.setObject(1, event);
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    @Test
    void theOrderPageShowsAnOrdersWayFromItsRowsToItsRecordsAndTheDownstreamView() throws Exception {
        String service = Suite.OUTBOX.service().url(settings);
        HttpResponse<String> created = HTTP.send(
                OrdersApi.create(service, "c-console", "SKU-1", 2, null, Duration.ofSeconds(10)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"")
                .matcher(created.body());
        assertThat(id.find()).isTrue();
        UUID order = UUID.fromString(id.group(1));
        assertThat(HTTP.send(
                                OrdersApi.change(service, order, "confirm", Duration.ofSeconds(10)),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);

        eventually().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            browser.get(console + "/order.html?id=" + order);
            eventually()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !browser.findElements(By.cssSelector("#order tbody tr"))
                            .isEmpty());
            assertThat(browser.findElements(By.cssSelector("#events tbody tr"))).hasSize(2);
            assertThat(browser.findElements(By.cssSelector("#records tbody tr")))
                    .hasSize(2);
            assertThat(browser.findElement(By.id("records")).getText())
                    .contains("eventType: OrderCreated", "eventType: OrderConfirmed", "traceparent: 00-");
            assertThat(browser.findElement(By.id("downstream")).getText()).contains("CONFIRMED");
            assertThat(browser.findElement(By.id("timeline")).getText())
                    .contains("order committed", "acknowledged by Kafka", "version 2 applied");
        });
    }

    /**
     * Awaitility, for the page: it redraws its figures, pills and rows every second, so an element found a moment ago
     * may be gone by the time it is read — that is a retry, not a failure.
     */
    private static ConditionFactory eventually() {
        return await().ignoreException(StaleElementReferenceException.class);
    }

    private static String figure(String name, Pattern writer) {
        return browser.findElement(By.id(name + "-" + writer.name())).getText();
    }

    /** A figure as the page shows it ("1,234.5"); one not shown (hidden, or "—" for nobody could read it) is 0. */
    private static double number(String figure) {
        return figure.isBlank() || figure.equals("—") ? 0 : Double.parseDouble(figure.replace(",", ""));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + target.toAbsolutePath());
    }

    private static void send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
