package dev.dualwrite.orders;

import io.swagger.v3.oas.models.OpenAPI;
import java.time.Clock;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An order service for {@code orders.pattern}: the REST API, the lifecycle, and the pattern's {@link OrderEventSink}
 * called in the order's transaction, on Boot's JdbcClient and transaction manager.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"
        })
@ConditionalOnProperty("orders.pattern")
@EnableConfigurationProperties(OrdersProperties.class)
public class OrderServiceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    ClientConfirmation clientConfirmation() {
        return ClientConfirmation.ALLOWED;
    }

    @Bean
    OrderRepository orderRepository(JdbcClient jdbc) {
        return new OrderRepository(jdbc);
    }

    /** The {@link OrderEventSink} is the pattern's: each order-service-* module brings its own. */
    @Bean
    OrderService orderService(
            OrderRepository orders,
            OrderEventSink events,
            PlatformTransactionManager transactionManager,
            OrdersProperties properties,
            ClientConfirmation clientConfirmation,
            Clock clock) {
        return new OrderService(
                orders, events, new TransactionTemplate(transactionManager), properties, clientConfirmation, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenAPI orderApiDocument(OrdersProperties properties) {
        return ApiDocumentation.document(properties.pattern().service());
    }

    @Bean
    OperationCustomizer orderApiProblems() {
        return ApiDocumentation.problems();
    }

    @Bean
    StrictRequestJson strictRequestJson() {
        return new StrictRequestJson();
    }

    @Bean
    OrderController orderController(OrderService service) {
        return new OrderController(service);
    }

    @Bean
    OrderProblemHandler orderProblemHandler() {
        return new OrderProblemHandler();
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter() {
        return new BodySizeLimitFilter();
    }
}
