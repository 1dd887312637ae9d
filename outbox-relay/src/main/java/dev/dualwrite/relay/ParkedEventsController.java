package dev.dualwrite.relay;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Parked rows are visible and re-drivable: {@code GET /api/relay/parked}, {@code POST .../{id}/redrive}, {@code POST .../redrive}. */
@RestController
@RequestMapping("/api/relay/parked")
public class ParkedEventsController {

    private final OutboxRepository repository;
    private final OutboxRelay relay;

    public ParkedEventsController(OutboxRepository repository, OutboxRelay relay) {
        this.repository = repository;
        this.relay = relay;
    }

    @GetMapping
    public List<ParkedEvent> parked(@RequestParam(defaultValue = "100") int limit) {
        return repository.parked(Math.min(Math.max(limit, 1), 1000));
    }

    @PostMapping("/{id}/redrive")
    public ResponseEntity<Map<String, Object>> redrive(@PathVariable UUID id) {
        if (!repository.redrive(id)) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND);
        }
        relay.wakeUp();
        return ResponseEntity.ok(Map.of("redriven", 1));
    }

    @PostMapping("/redrive")
    public Map<String, Object> redriveAll() {
        int redriven = repository.redriveAll();
        relay.wakeUp();
        return Map.of("redriven", redriven);
    }
}
