package dev.dualwrite.orders;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The REST layer alone: status codes, headers and problem details of the order API, with the service mocked. What
 * the service does with a valid request is the acceptance suite's (every order service, on the real stack).
 */
@WebMvcTest
class OrderApiWebTest {

    private static final String VALID = """
            {"customerId": "c-42", "currency": "EUR",
             "items": [{"sku": "book", "quantity": 2, "unitPrice": 12.50}, {"sku": "pen", "quantity": 1, "unitPrice": 3}]}
            """;

    @SpringBootConfiguration
    @Import({OrderController.class, OrderProblemHandler.class, BodySizeLimitFilter.class, StrictRequestJson.class})
    static class WebLayer {}

    @Autowired
    MockMvc mvc;

    @MockitoBean
    OrderService service;

    private final UUID id = UUID.randomUUID();
    private final OrderView order = new OrderView(
            id,
            "c-42",
            OrderStatus.PENDING,
            Pattern.TRANSACTIONAL_OUTBOX,
            1,
            "EUR",
            new BigDecimal("28.00"),
            List.of(new OrderEvent.Item("book", 2, new BigDecimal("12.50"))),
            Instant.parse("2026-11-29T10:00:00Z"),
            Instant.parse("2026-11-29T10:00:00Z"));

    private ResultActions create(String body, String... headers) throws Exception {
        var request =
                post("/api/orders").contentType(MediaType.APPLICATION_JSON).content(body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return mvc.perform(request);
    }

    private static void isProblem(ResultActions result, int status) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").exists())
                .andExpect(content().string(Matchers.not(Matchers.containsString("Exception"))));
    }

    @Test
    void aCreatedOrderAnswers201WithItsLocationAndWhetherItWasReplayed() throws Exception {
        given(service.create(any(), eq("key-1"))).willReturn(new OrderService.Created(order, false));
        given(service.create(any(), eq("key-2"))).willReturn(new OrderService.Created(order, true));

        create(VALID, "Idempotency-Key", "key-1")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/orders/" + id))
                .andExpect(header().string("Idempotent-Replayed", "false"))
                .andExpect(jsonPath("$.id").value(id.toString()))
                .andExpect(jsonPath("$.totalAmount").value(28.0))
                .andExpect(jsonPath("$.items[0].sku").value("book"));
        create(VALID, "Idempotency-Key", "key-2")
                .andExpect(status().isCreated())
                .andExpect(header().string("Idempotent-Replayed", "true"));
    }

    static Stream<Arguments> invalidOrders() {
        return Stream.of(
                Arguments.of("missing customer", VALID.replace("\"customerId\": \"c-42\",", ""), "customerId"),
                Arguments.of("blank customer", VALID.replace("c-42", "  "), "customerId"),
                Arguments.of("quantity zero", VALID.replace("\"quantity\": 2", "\"quantity\": 0"), "items[0].quantity"),
                Arguments.of("quantity missing", VALID.replace("\"quantity\": 2,", ""), "items[0].quantity"),
                Arguments.of("negative price", VALID.replace("12.50", "-1"), "items[0].unitPrice"),
                Arguments.of("three decimals", VALID.replace("12.50", "12.505"), "items[0].unitPrice"),
                Arguments.of("lower-case currency", VALID.replace("EUR", "eur"), "currency"),
                Arguments.of("four-letter currency", VALID.replace("EUR", "EURO"), "currency"),
                Arguments.of("missing currency", VALID.replace("\"currency\": \"EUR\",", ""), "currency"),
                Arguments.of("no items", "{\"customerId\": \"c\", \"currency\": \"EUR\", \"items\": []}", "items"),
                Arguments.of("blank sku", VALID.replace("\"book\"", "\"\""), "items[0].sku"),
                Arguments.of("101-character customer", VALID.replace("c-42", "c".repeat(101)), "customerId"),
                Arguments.of("NUL in the customer", VALID.replace("c-42", "c\\u0000"), "customerId"),
                Arguments.of("unpaired surrogate in a sku", VALID.replace("book", "b\\ud800"), "items[0].sku"),
                Arguments.of(
                        "quantity over a million",
                        VALID.replace("\"quantity\": 2", "\"quantity\": 1000001"),
                        "items[0].quantity"),
                Arguments.of("price over the limit", VALID.replace("12.50", "1000000000000"), "items[0].unitPrice"),
                Arguments.of(
                        "total over the limit",
                        VALID.replace(
                                "\"quantity\": 2, \"unitPrice\": 12.50",
                                "\"quantity\": 1000000, \"unitPrice\": 1000000"),
                        "totalAmount"),
                Arguments.of(
                        "101 items",
                        "{\"customerId\": \"c\", \"currency\": \"EUR\", \"items\": ["
                                + String.join(
                                        ",",
                                        Collections.nCopies(101, "{\"sku\": \"s\", \"quantity\": 1, \"unitPrice\": 1}"))
                                + "]}",
                        "items"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void refusesAnInvalidOrderNamingTheFieldWithoutCallingTheService(String name, String body, String field)
            throws Exception {
        ResultActions result = create(body);

        isProblem(result, 400);
        result.andExpect(jsonPath("$.errors[*].field", Matchers.hasItem(field)));
        verifyNoInteractions(service);
    }

    static Stream<Arguments> misreadableBodies() {
        return Stream.of(
                Arguments.of("quantity as a string", VALID.replace("\"quantity\": 2", "\"quantity\": \"2\"")),
                Arguments.of("fractional quantity", VALID.replace("\"quantity\": 2", "\"quantity\": 1.5")),
                Arguments.of(
                        "duplicate key",
                        VALID.replace("\"currency\": \"EUR\"", "\"currency\": \"EUR\", \"currency\": \"USD\"")),
                Arguments.of("trailing content", VALID + " {}"),
                Arguments.of("deep nesting", "[".repeat(5000) + "]".repeat(5000)),
                Arguments.of("a price of a billion digits", VALID.replace("12.50", "1E+1000000000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misreadableBodies")
    void refusesABodyThatCannotBeReadExactlyAsWritten(String name, String body) throws Exception {
        ResultActions result = create(body);

        result.andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(service);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsUnprocessable() throws Exception {
        given(service.create(any(), eq("key-1"))).willThrow(new IdempotencyKeyReusedException("key-1"));

        ResultActions result = create(VALID, "Idempotency-Key", "key-1");

        isProblem(result, 422);
        result.andExpect(jsonPath("$.detail").value(Matchers.containsString("key-1")));
    }

    @Test
    void anUnreachableDatabaseIsServiceUnavailableWithRetryAfter() throws Exception {
        given(service.create(any(), any()))
                .willThrow(new CannotCreateTransactionException("Could not get JDBC Connection"));

        ResultActions result = create(VALID);

        isProblem(result, 503);
        result.andExpect(header().string("Retry-After", "1"))
                .andExpect(content().string(Matchers.not(Matchers.containsString("JDBC"))));
    }

    @Test
    void anUnexpectedFailureIsAProblemWithoutInternals() throws Exception {
        given(service.get(id)).willThrow(new IllegalStateException("connection string with a secret"));

        ResultActions result = mvc.perform(get("/api/orders/" + id));

        isProblem(result, 500);
        result.andExpect(content().string(Matchers.not(Matchers.containsString("secret"))));
    }

    @Test
    void refusesMalformedJsonAsBadRequest() throws Exception {
        ResultActions result = create("{\"customerId\": ");

        isProblem(result, 400);
        result.andExpect(jsonPath("$.title").value("Malformed request body"));
        verifyNoInteractions(service);
    }

    @Test
    void refusesABodyOver64KilobytesWithContentTooLarge() throws Exception {
        String padded = VALID.replace("\"c-42\"", "\"c-42\", \"padding\": \"" + "x".repeat(70_000) + "\"");

        isProblem(create(padded), 413);
        verifyNoInteractions(service);
    }

    @Test
    void refusesAWrongContentTypeWithUnsupportedMediaType() throws Exception {
        isProblem(
                mvc.perform(
                        post("/api/orders").contentType(MediaType.TEXT_PLAIN).content(VALID)),
                415);
        verifyNoInteractions(service);
    }

    @Test
    void refusesABlankOrOverlongIdempotencyKeyNamingTheHeader() throws Exception {
        for (String key : List.of(" ", "k".repeat(201), "tab\tin-key")) {
            ResultActions result = create(VALID, "Idempotency-Key", key);
            isProblem(result, 400);
            result.andExpect(jsonPath("$.errors[*].field", Matchers.hasItem("Idempotency-Key")));
        }
        verifyNoInteractions(service);
    }

    @Test
    void answersNotFoundForAnUnknownOrderAndBadRequestForAMalformedId() throws Exception {
        given(service.get(id)).willThrow(new OrderNotFoundException(id));
        given(service.confirm(id)).willThrow(new OrderNotFoundException(id));

        isProblem(mvc.perform(get("/api/orders/" + id)), 404);
        isProblem(mvc.perform(post("/api/orders/" + id + "/confirm")), 404);
        isProblem(mvc.perform(get("/api/orders/not-a-uuid")), 400);
    }

    @Test
    void answersConflictForATransitionTheLifecycleForbids() throws Exception {
        given(service.cancel(id))
                .willThrow(new IllegalTransitionException(id, OrderStatus.CANCELLED, OrderStatus.CANCELLED));

        ResultActions result = mvc.perform(post("/api/orders/" + id + "/cancel"));

        isProblem(result, 409);
        result.andExpect(
                jsonPath("$.detail").value(Matchers.containsString("is CANCELLED and cannot become CANCELLED")));
    }

    @Test
    void refusesAListLimitOutOfRange() throws Exception {
        isProblem(mvc.perform(get("/api/orders?limit=0")), 400);
        isProblem(mvc.perform(get("/api/orders?limit=1001")), 400);
        verifyNoInteractions(service);
    }
}
