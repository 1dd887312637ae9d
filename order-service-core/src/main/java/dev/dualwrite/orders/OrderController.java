package dev.dualwrite.orders;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API every order service offers (docs/DESIGN.md). */
@RestController
@RequestMapping("/api/orders")
public class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    @Operation(
            summary = "Creates an order and its OrderCreated event in one transaction",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            examples =
                                                    @ExampleObject(
                                                            name = "one line",
                                                            value = ApiDocumentation.CREATE_EXAMPLE))))
    @ApiResponse(
            responseCode = "201",
            description = "Created (or replayed: the same Idempotency-Key with the same body)",
            headers = {
                @Header(name = "Location", description = "/api/orders/{id}"),
                @Header(
                        name = "Idempotent-Replayed",
                        description = "true when an earlier request with this Idempotency-Key created the order")
            })
    @ApiResponse(responseCode = "400", description = "Invalid fields: the problem lists each one under errors")
    @ApiResponse(responseCode = "413", description = "The body is larger than the limit (README, Request limits)")
    @ApiResponse(responseCode = "415", description = "The body is not application/json")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with another body")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderView> create(
            @Valid @RequestBody CreateOrderRequest request,
            @Parameter(description = "1 to 200 visible ASCII characters: the same key and body again replay the order")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    @Pattern(regexp = "[\\x21-\\x7E]{1,200}", message = "must be 1 to 200 visible ASCII characters")
                    String idempotencyKey) {
        OrderService.Created created = service.create(request, idempotencyKey);
        return ResponseEntity.created(
                        URI.create("/api/orders/" + created.order().id()))
                .header("Idempotent-Replayed", Boolean.toString(created.replayed()))
                .body(created.order());
    }

    @Operation(summary = "One order of this service's pattern")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No order of this pattern has this id")
    @GetMapping("/{id}")
    public OrderView get(@PathVariable UUID id) {
        return service.get(id);
    }

    @Operation(summary = "The newest orders of this service's pattern, newest first")
    @ApiResponse(responseCode = "400", description = "limit is not between 1 and 1000")
    @GetMapping
    public List<OrderView> list(@RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return service.list(limit);
    }

    @Operation(summary = "Confirms a PENDING order and writes its event in the same transaction")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No order of this pattern has this id")
    @ApiResponse(
            responseCode = "409",
            description = "The lifecycle forbids this transition (listen to yourself: a client never confirms)")
    @PostMapping("/{id}/confirm")
    public OrderView confirm(@PathVariable UUID id) {
        return service.confirm(id);
    }

    @Operation(summary = "Cancels a PENDING or CONFIRMED order and writes its event in the same transaction")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No order of this pattern has this id")
    @ApiResponse(
            responseCode = "409",
            description = "The lifecycle forbids this transition (listen to yourself: a client never confirms)")
    @PostMapping("/{id}/cancel")
    public OrderView cancel(@PathVariable UUID id) {
        return service.cancel(id);
    }
}
