package dev.dualwrite.peers.modulith;

import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Spring Modulith retries nothing by itself: a publication whose send failed, or that its staleness monitor marked
 * failed (its instance died before the send, or before the broker's acknowledgement was recorded), stays FAILED until
 * the application resubmits it. The reference documentation leaves the schedule to the application; this is it, in
 * every instance (the registry's states are built for several instances resubmitting at once).
 */
@Component
class Resubmission {

    private final FailedEventPublications failed;

    Resubmission(FailedEventPublications failed) {
        this.failed = failed;
    }

    @Scheduled(fixedDelayString = "${peer.resubmission.interval}", initialDelayString = "${peer.resubmission.interval}")
    void resubmitFailed() {
        failed.resubmit(ResubmissionOptions.defaults());
    }
}
