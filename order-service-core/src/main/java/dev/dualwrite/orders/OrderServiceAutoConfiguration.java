package dev.dualwrite.orders;

import io.swagger.v3.oas.models.OpenAPI;
import java.time.Clock;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An order service for {@code orders.pattern}: the REST API, the lifecycle, and the pattern's {@link OrderEventSink}
 * called in the order's transaction. The package is registered for JPA so that {@link Order} and
 * {@link OrderRepository} are found from any application package.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"
        })
@AutoConfigurationPackage
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
