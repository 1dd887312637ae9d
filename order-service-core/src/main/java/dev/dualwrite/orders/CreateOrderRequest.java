package dev.dualwrite.orders;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/orders}. Every limit is at or inside what the columns hold (README, "Request limits"),
 * so a body this accepts is one the database stores as given: nothing the client sends reaches the database as a
 * failure (a 500) or altered (a lone surrogate turned into "?", a NUL PostgreSQL cannot store).
 */
public record CreateOrderRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE)
        String customerId,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be three capital letters (ISO 4217)")
        String currency,

        @NotEmpty @Size(max = MAX_ITEMS, message = "must hold between 1 and 100 items")
        List<@NotNull @Valid Item> items) {

    static final int MAX_ITEMS = 100;

    /** The largest total an order may have: well inside orders.total_amount, numeric(19,2). */
    static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999.99");

    /** No control characters and no unpaired UTF-16 surrogates (a valid pair is one code point and passes). */
    static final String PLAIN_TEXT = "[^\\p{Cc}\\p{Cs}]*";

    static final String PLAIN_TEXT_MESSAGE = "must not contain control characters or unpaired surrogates";

    public record Item(
            @NotBlank @Size(max = 100) @Pattern(regexp = PLAIN_TEXT, message = PLAIN_TEXT_MESSAGE)
            String sku,

            @NotNull @Positive @Max(1_000_000) Integer quantity,

            @NotNull @PositiveOrZero @DecimalMax("999999999999.99") @Digits(integer = 12, fraction = 2)
            BigDecimal unitPrice) {}

    /**
     * The sum of quantity × unit price over the items stays within {@link #MAX_TOTAL}. Reported as the field
     * {@code totalAmount}; computed only when every item is valid on its own (else those errors say why, and a price
     * such as 1E+1000000000 is never expanded into a billion digits).
     */
    @AssertTrue(message = "the order's total (the sum of quantity × unitPrice) must be at most 999999999999.99")
    public boolean isTotalAmount() {
        if (items == null || !items.stream().allMatch(CreateOrderRequest::summable)) {
            return true;
        }
        return items.stream()
                        .map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .compareTo(MAX_TOTAL)
                <= 0;
    }

    private static boolean summable(Item item) {
        return item != null
                && item.quantity() != null
                && item.quantity() >= 1
                && item.quantity() <= 1_000_000
                && item.unitPrice() != null
                && item.unitPrice().signum() >= 0
                && item.unitPrice().scale() <= 2
                && item.unitPrice().compareTo(MAX_TOTAL) <= 0;
    }
}
