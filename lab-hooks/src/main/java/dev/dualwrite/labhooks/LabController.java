package dev.dualwrite.labhooks;

import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /lab/failpoints/{name}?afterHits=N} arms, {@code DELETE} disarms, {@code GET /lab/failpoints} lists;
 * {@code GET /lab/mutants} lists the mutants this process was started as. An unknown failpoint is a 400: an arming that
 * did not take must never look like one that did.
 */
@RestController
@RequestMapping("/lab")
class LabController {

    private final Failpoints failpoints;
    private final Mutants mutants;

    LabController(Failpoints failpoints, Mutants mutants) {
        this.failpoints = failpoints;
        this.mutants = mutants;
    }

    @GetMapping("/failpoints")
    Map<String, Integer> armed() {
        return failpoints.armed();
    }

    @PostMapping("/failpoints/{name}")
    Map<String, Integer> arm(@PathVariable String name, @RequestParam(defaultValue = "1") int afterHits) {
        try {
            failpoints.arm(name, afterHits);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return failpoints.armed();
    }

    @DeleteMapping("/failpoints/{name}")
    Map<String, Integer> disarm(@PathVariable String name) {
        failpoints.disarm(name);
        return failpoints.armed();
    }

    @GetMapping("/mutants")
    Set<String> mutants() {
        return mutants.active();
    }
}
