package dev.dualwrite.labhooks;

import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.orders.OrderEventSink;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lab inside an order service, around its {@link OrderEventSink} (the table of a reliable pattern, the naive
 * service's Kafka send): the failpoints just before and just after the order's commit, and the two order-service
 * mutants.
 */
final class OrderServiceHooks {

    private OrderServiceHooks() {}

    /** Providers, not beans: a post-processor is created before every other bean and must not pull them in early. */
    static BeanPostProcessor wrapSinks(
            ObjectProvider<Failpoints> failpoints,
            ObjectProvider<Mutants> mutants,
            ObjectProvider<PlatformTransactionManager> transactions) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof OrderEventSink sink)) {
                    return bean;
                }
                TransactionTemplate ownTransaction = new TransactionTemplate(transactions.getObject());
                ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
                return new LabEventSink(sink, failpoints.getObject(), mutants.getObject(), ownTransaction);
            }
        };
    }

    /** @param ownTransaction for the late event row: after the commit, a transaction of its own */
    record LabEventSink(
            OrderEventSink delegate, Failpoints failpoints, Mutants mutants, TransactionTemplate ownTransaction)
            implements OrderEventSink {

        /**
         * The two naive failpoints count creates only: a halted create is retried by its client as a new order (a new
         * id), so what the halt left behind — an order without its event, an event without its order — stays visible.
         * A halted confirm would be retried on the same order and show as a duplicate or a second event instead.
         */
        @Override
        public void append(OrderEvent event) {
            boolean create = event.eventType() == EventType.OrderCreated;
            // Ordered first among the synchronizations (the naive publish is one, after the commit): the halt comes
            // after the commit and before anything the sink does after it.
            if (create) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public int getOrder() {
                        return Ordered.HIGHEST_PRECEDENCE;
                    }

                    @Override
                    public void afterCommit() {
                        failpoints.hit(Failpoints.NAIVE_AFTER_COMMIT_BEFORE_PUBLISH);
                    }
                });
            }
            if (mutants.active(Mutants.EVENT_ROW_AFTER_COMMIT)) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        failpoints.hit(Failpoints.ORDER_AFTER_COMMIT_BEFORE_EVENT_ROW);
                        ownTransaction.executeWithoutResult(status -> delegate.append(event));
                    }
                });
                return;
            }
            delegate.append(event);
            if (mutants.active(Mutants.LOST_UPDATE) && event.eventType() == EventType.OrderConfirmed) {
                delegate.append(competingCancel(event));
            }
            if (create) {
                failpoints.hit(Failpoints.NAIVE_AFTER_PUBLISH_BEFORE_COMMIT);
            }
        }

        /** What a second writer that read the same version would have produced: a cancel numbered like the confirm. */
        private static OrderEvent competingCancel(OrderEvent confirmed) {
            OrderEvent.OrderSnapshot order = confirmed.order();
            return new OrderEvent(
                    UUID.randomUUID(),
                    EventType.OrderCancelled,
                    confirmed.orderId(),
                    confirmed.pattern(),
                    confirmed.version(),
                    confirmed.occurredAt(),
                    new OrderEvent.OrderSnapshot(
                            order.id(),
                            order.customerId(),
                            "CANCELLED",
                            order.currency(),
                            order.totalAmount(),
                            order.items()));
        }
    }
}
