package dev.dualwrite.console.faults;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/faults}: what can be killed and what was; {@code POST /api/faults/{target}} kills and restarts it. */
@RestController
@Profile("lab")
class FaultController {

    private final FaultInjector faults;

    FaultController(FaultInjector faults) {
        this.faults = faults;
    }

    @GetMapping("/api/faults")
    Map<String, Object> faults() {
        return Map.of("targets", faults.targets(), "recent", faults.recent());
    }

    @PostMapping("/api/faults/{target}")
    FaultInjector.Fault inject(@PathVariable String target) {
        return faults.inject(target);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail unknown(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail busy(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
