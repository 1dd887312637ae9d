package dev.dualwrite.orders;

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

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderView> create(
            @Valid @RequestBody CreateOrderRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    @Pattern(regexp = "[\\x21-\\x7E]{1,200}", message = "must be 1 to 200 visible ASCII characters")
                    String idempotencyKey) {
        OrderService.Created created = service.create(request, idempotencyKey);
        return ResponseEntity.created(
                        URI.create("/api/orders/" + created.order().id()))
                .header("Idempotent-Replayed", Boolean.toString(created.replayed()))
                .body(created.order());
    }

    @GetMapping("/{id}")
    public OrderView get(@PathVariable UUID id) {
        return service.get(id);
    }

    @GetMapping
    public List<OrderView> list(@RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return service.list(limit);
    }

    @PostMapping("/{id}/confirm")
    public OrderView confirm(@PathVariable UUID id) {
        return service.confirm(id);
    }

    @PostMapping("/{id}/cancel")
    public OrderView cancel(@PathVariable UUID id) {
        return service.cancel(id);
    }
}
