package dev.dualwrite.orders;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.ProblemDetail;

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

    /**
     * What every operation answers alike, said once rather than on each: every error is a problem detail, and a
     * database out of reach is a 503 with Retry-After.
     */
    static OperationCustomizer problems() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses();
            responses.addApiResponse(
                    "503",
                    new ApiResponse()
                            .description("The database is unreachable; try again after Retry-After seconds")
                            .addHeaderObject("Retry-After", new Header().schema(new IntegerSchema())));
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    response.setContent(new Content()
                            .addMediaType(
                                    PROBLEM,
                                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/ProblemDetail"))));
                }
            });
            return operation;
        };
    }

    /** The document's own parts: its title, and the ProblemDetail schema every error refers to. */
    static OpenAPI document(String service) {
        return new OpenAPI()
                .info(new Info()
                        .title("Order API of " + service)
                        .version("1")
                        .description("The same API on every order service of the suite (docs/DESIGN.md, REST). Every"
                                + " error is application/problem+json (RFC 9457); no input gets a 5xx; 503 with"
                                + " Retry-After while the database is unreachable."))
                .components(new Components()
                        .addSchemas(
                                "ProblemDetail",
                                ModelConverters.getInstance()
                                        .read(ProblemDetail.class)
                                        .get("ProblemDetail")));
    }
}
