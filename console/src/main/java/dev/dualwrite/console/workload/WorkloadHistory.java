package dev.dualwrite.console.workload;

import dev.dualwrite.events.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where the workload writes down what it did, request by request, so that it can be judged afterwards (under the lab
 * profile: the lab's history and verdict). Without one, requests are sent and counted, and nothing is kept.
 */
public interface WorkloadHistory {

    WorkloadHistory NONE = new WorkloadHistory() {
        @Override
        public String customerId(Pattern pattern, long n) {
            return "console-" + (n % 1000);
        }

        @Override
        public void record(
                Pattern pattern,
                String action,
                UUID orderId,
                String customerId,
                Instant sent,
                Instant answered,
                int status,
                Integer version,
                String detail) {}
    };

    /** Begins a history for each started workload. */
    interface Factory {
        WorkloadHistory begin(List<Pattern> patterns);
    }

    /** The customer id of the workload's {@code n}th order through {@code pattern}. */
    String customerId(Pattern pattern, long n);

    /** @param status the HTTP status, 0 when no answer came */
    void record(
            Pattern pattern,
            String action,
            UUID orderId,
            String customerId,
            Instant sent,
            Instant answered,
            int status,
            Integer version,
            String detail);
}
