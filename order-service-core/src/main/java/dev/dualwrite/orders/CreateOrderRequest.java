package dev.dualwrite.orders;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/** The body of {@code POST /api/orders}. */
public record CreateOrderRequest(
        @NotBlank @Size(max = 100) String customerId,

        @NotNull
        @jakarta.validation.constraints.Pattern(
                regexp = "[A-Z]{3}",
                message = "must be three capital letters (ISO 4217)")
        String currency,

        @NotEmpty @Size(max = 100, message = "must hold between 1 and 100 items")
        List<@NotNull @Valid Item> items) {

    public record Item(
            @NotBlank @Size(max = 100) String sku,
            @NotNull @Positive Integer quantity,

            @NotNull @PositiveOrZero @Digits(integer = 15, fraction = 2)
            BigDecimal unitPrice) {}
}
