package dev.dualwrite.console.operations;

import dev.dualwrite.console.Writers;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Parked rows of every relayed pattern, and their redrive, through the pattern's relay. */
@RestController
class OperationsController {

    private final RelayAdmin relays;
    private final ObjectMapper json;

    OperationsController(RelayAdmin relays, ObjectMapper json) {
        this.relays = relays;
        this.json = json;
    }

    /** Per pattern with a relay: its parked rows, or why they could not be read. */
    @GetMapping("/api/parked")
    Map<String, JsonNode> parked() throws InterruptedException {
        Map<String, JsonNode> parked = new LinkedHashMap<>();
        for (Suite.Deployment writer : Writers.ALL) {
            if (writer.relays().isEmpty()) {
                continue;
            }
            JsonNode rows = relays.call(writer.relays(), "GET", "/api/relay/parked?limit=100")
                    .map(response -> response.statusCode() == 200
                            ? json.readTree(response.body())
                            : json.createObjectNode()
                                    .put(
                                            "error",
                                            "the relay answered " + response.statusCode() + ": " + response.body()))
                    .orElseGet(
                            () -> json.createObjectNode().put("error", "no relay of " + writer.pattern() + " answers"));
            parked.put(writer.pattern().name(), rows);
        }
        return parked;
    }

    @PostMapping("/api/parked/{pattern}/{id}/redrive")
    ResponseEntity<String> redrive(@PathVariable Pattern pattern, @PathVariable UUID id) throws InterruptedException {
        List<Application> instances =
                Writers.find(pattern).map(Suite.Deployment::relays).orElse(List.of());
        if (instances.isEmpty()) {
            throw problem(HttpStatus.NOT_FOUND, pattern + " has no relay and parks nothing");
        }
        HttpResponse<String> response = relays.call(instances, "POST", "/api/relay/parked/" + id + "/redrive")
                .orElseThrow(() -> problem(HttpStatus.SERVICE_UNAVAILABLE, "no relay of " + pattern + " answers"));
        return ResponseEntity.status(response.statusCode())
                .contentType(response.headers()
                        .firstValue("Content-Type")
                        .map(MediaType::parseMediaType)
                        .orElse(MediaType.APPLICATION_JSON))
                .body(response.body());
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
