package dev.dualwrite.console.verdict;

import dev.dualwrite.console.workload.Workload;
import dev.dualwrite.lab.LabSession;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/verdict}: stops the workload, waits until what it produced has settled, and answers the lab's verdict
 * of it (its table and JSON; {@code ./lab.sh verify --run <runId>} judges it again later).
 */
@RestController
@Profile("lab")
class VerdictController {

    private final Workload workload;
    private final LabVerdict verdict;

    VerdictController(Workload workload, LabVerdict verdict) {
        this.workload = workload;
        this.verdict = verdict;
    }

    @PostMapping("/api/verdict")
    LabSession.Judgement judge() throws Exception {
        workload.stop();
        return verdict.judge()
                .orElseThrow(() -> new ErrorResponseException(
                        HttpStatus.CONFLICT,
                        ProblemDetail.forStatusAndDetail(
                                HttpStatus.CONFLICT, "No workload ran yet: start one, then ask for its verdict"),
                        null));
    }
}
