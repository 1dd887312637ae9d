package dev.dualwrite.failpoints;

import java.util.Map;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /lab/failpoints/{name}?afterHits=N} arms, {@code DELETE} disarms, {@code GET /lab/failpoints} lists. */
@RestController
@RequestMapping("/lab/failpoints")
class FailpointController {

    private final Failpoints failpoints;

    FailpointController(Failpoints failpoints) {
        this.failpoints = failpoints;
    }

    @GetMapping
    Map<String, Integer> armed() {
        return failpoints.armed();
    }

    @PostMapping("/{name}")
    Map<String, Integer> arm(@PathVariable String name, @RequestParam(defaultValue = "1") int afterHits) {
        failpoints.arm(name, Math.max(1, afterHits));
        return failpoints.armed();
    }

    @DeleteMapping("/{name}")
    Map<String, Integer> disarm(@PathVariable String name) {
        failpoints.disarm(name);
        return failpoints.armed();
    }
}
