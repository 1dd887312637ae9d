package dev.dualwrite.peers.modulith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Spring Modulith retries nothing by itself: a publication whose send failed, or that its staleness monitor marked
 * failed (its instance died before the send, or before the broker's acknowledgement was recorded), stays FAILED until
 * the application resubmits it. The reference documentation leaves the schedule to the application; this is it, in
 * every instance (the registry's states are built for several instances resubmitting at once).
 *
 * <p>A call resubmits at most {@code batchSize} publications less those still in flight from earlier calls: with
 * Modulith's default of 100 and a call every 10 s, the backlog a broker outage leaves would drain at 10 events/s per
 * instance; {@code peer.resubmission.batch-size} raises that ceiling.
 */
@Component
class Resubmission {

    private final FailedEventPublications failed;
    private final ResubmissionOptions options;

    Resubmission(FailedEventPublications failed, @Value("${peer.resubmission.batch-size}") int batchSize) {
        this.failed = failed;
        this.options = ResubmissionOptions.defaults().withBatchSize(batchSize);
    }

    @Scheduled(fixedDelayString = "${peer.resubmission.interval}", initialDelayString = "${peer.resubmission.interval}")
    void resubmitFailed() {
        failed.resubmit(options);
    }
}
