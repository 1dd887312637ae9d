package dev.dualwrite.console.workload;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/workload} {"ratePerSecond":100,"patterns":["TRANSACTIONAL_OUTBOX"],"confirmPercent":30,
 * "cancelPercent":10} starts (or changes) the workload; {@code DELETE} stops it; {@code GET} says what it did.
 */
@RestController
class WorkloadController {

    private final Workload workload;

    WorkloadController(Workload workload) {
        this.workload = workload;
    }

    @GetMapping("/api/workload")
    Workload.State state() {
        return workload.state();
    }

    @PostMapping("/api/workload")
    Workload.State start(@RequestBody Workload.Settings settings) {
        return workload.start(settings);
    }

    @DeleteMapping("/api/workload")
    Workload.State stop() {
        return workload.stop();
    }
}
