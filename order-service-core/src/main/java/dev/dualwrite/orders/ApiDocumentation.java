package dev.dualwrite.orders;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

/**
 * What the OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) says beside what springdoc
 * reads from the controller and the request's constraints (the field limits): the title, and how errors answer.
 */
final class ApiDocumentation {

    /** Every error answer of the API. */
    static final String PROBLEM = "application/problem+json";

    static final String CREATE_EXAMPLE = """
            {"customerId": "c-42", "currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]}
            """;

    private ApiDocumentation() {}

    static OpenAPI document(String service) {
        return new OpenAPI()
                .info(new Info()
                        .title("Order API of " + service)
                        .version("1")
                        .description("The same API on every order service of the suite (docs/DESIGN.md, REST). Every"
                                + " error is application/problem+json (RFC 9457); no input gets a 5xx; 503 with"
                                + " Retry-After while the database is unreachable."));
    }
}
