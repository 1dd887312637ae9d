package dev.dualwrite.orders;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * An order service for {@code orders.pattern}: the REST API, the lifecycle and the event write. The package is
 * registered for JPA so that {@link Order} and {@link OrderRepository} are found from any application package.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
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
    @ConditionalOnMissingBean(OrderEventSink.class)
    EventTable eventTable(JdbcClient jdbc, JsonMapper json, OrdersProperties properties) {
        return new EventTable(jdbc, json, properties);
    }

    @Bean
    OrderService orderService(OrderRepository orders, OrderEventSink events, PlatformTransactionManager transactionManager,
                              OrdersProperties properties, Clock clock) {
        return new OrderService(orders, events, new TransactionTemplate(transactionManager), properties, clock);
    }

    @Bean
    OrderChangeWaiter orderChangeWaiter(OrderService service) {
        return new OrderChangeWaiter(service);
    }

    @Bean
    OrderController orderController(OrderService service, OrderChangeWaiter waiter) {
        return new OrderController(service, waiter);
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
