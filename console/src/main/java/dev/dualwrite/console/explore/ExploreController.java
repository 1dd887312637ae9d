package dev.dualwrite.console.explore;

import dev.dualwrite.console.Writers;
import dev.dualwrite.console.explore.OrderJourney.Order;
import dev.dualwrite.events.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The data, read-only: the newest orders, one order's whole way, the newest dead letters of every topic. */
@RestController
class ExploreController {

    /** Records produced a little before the order's row commits (the naive publish-first, clock skew) are found too. */
    private static final Duration LOOK_BACK = Duration.ofSeconds(5);

    private final OrderTables tables;
    private final TopicReader topics;

    ExploreController(OrderTables tables, TopicReader topics) {
        this.tables = tables;
        this.topics = topics;
    }

    @GetMapping("/api/explore/orders")
    List<Order> recent(@RequestParam(required = false) Pattern pattern, @RequestParam(defaultValue = "20") int limit) {
        int bounded = Math.min(Math.max(limit, 1), 200);
        List<Order> orders = new ArrayList<>();
        for (var writer : Writers.ALL) {
            if (pattern == null || writer.pattern() == pattern) {
                orders.addAll(tables.recent(writer.pattern(), bounded));
            }
        }
        return orders.stream()
                .sorted(Comparator.comparing(Order::createdAt).reversed())
                .limit(bounded)
                .toList();
    }

    @GetMapping("/api/explore/orders/{id}")
    OrderJourney journey(@PathVariable UUID id) {
        Order order = tables.order(id)
                .orElseThrow(() -> new ErrorResponseException(
                        HttpStatus.NOT_FOUND,
                        ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No order " + id),
                        null));
        Pattern pattern = Pattern.valueOf(order.pattern());
        var writer = Writers.find(pattern)
                .orElseThrow(() -> new ErrorResponseException(
                        HttpStatus.NOT_FOUND,
                        ProblemDetail.forStatusAndDetail(
                                HttpStatus.NOT_FOUND,
                                "Order " + id + " is a " + pattern
                                        + " order: a peer's (docs/peers.md), not shown here"),
                        null));
        return new OrderJourney(
                order,
                tables.items(id),
                writer.relays().isEmpty() ? null : writer.eventTable(),
                tables.events(pattern, id),
                writer.topic(),
                topics.recordsOf(
                        writer.topic(), id.toString(), order.createdAt().minus(LOOK_BACK)),
                tables.downstream(id).orElse(null));
    }

    /** Kafka did not answer within the reader's wait: the page's request is refused as unavailable, not as a bug. */
    @ExceptionHandler(org.apache.kafka.common.errors.TimeoutException.class)
    ProblemDetail kafkaTooSlow(org.apache.kafka.common.errors.TimeoutException e) {
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not answer in time: " + e.getMessage());
    }

    /** Per topic, its dead-letter topic's newest records with spring-kafka's exception headers: why each one is there. */
    @GetMapping("/api/explore/dead-letters")
    Map<String, List<OrderJourney.TopicRecord>> deadLetters(@RequestParam(defaultValue = "10") int perPartition) {
        Map<String, List<OrderJourney.TopicRecord>> deadLetters = new LinkedHashMap<>();
        for (var writer : Writers.ALL) {
            String topic = writer.pattern().deadLetterTopic();
            deadLetters.put(topic, topics.newest(topic, Math.min(Math.max(perPartition, 1), 100)));
        }
        return deadLetters;
    }
}
