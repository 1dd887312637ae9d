package dev.dualwrite.orders;

import java.math.BigDecimal;

/** One line of an order, in its order_items row. */
record OrderItem(String sku, int quantity, BigDecimal unitPrice) {

    BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
