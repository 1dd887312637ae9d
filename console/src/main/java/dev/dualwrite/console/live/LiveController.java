package dev.dualwrite.console.live;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /api/live} pushes a snapshot a second (server-sent events); {@code /api/live/history} the last minutes. */
@RestController
class LiveController {

    private final LiveFeed feed;

    LiveController(LiveFeed feed) {
        this.feed = feed;
    }

    @GetMapping(path = "/api/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter live() {
        return feed.subscribe();
    }

    @GetMapping("/api/live/history")
    List<Snapshot> history() {
        return feed.history();
    }
}
