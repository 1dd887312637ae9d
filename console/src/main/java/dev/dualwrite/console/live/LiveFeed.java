package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The last minutes of snapshots for the charts, and every open page, which gets each new one pushed. */
@Component
public class LiveFeed {

    private final int capacity;
    private final Deque<Snapshot> history = new ArrayDeque<>();
    private final List<SseEmitter> pages = new CopyOnWriteArrayList<>();

    LiveFeed(ConsoleProperties properties) {
        this.capacity = (int) Math.max(10, properties.history().toSeconds());
    }

    public synchronized List<Snapshot> history() {
        return List.copyOf(history);
    }

    public synchronized Snapshot latest() {
        return history.peekLast();
    }

    SseEmitter subscribe() {
        // no timeout: the page keeps the stream for as long as it is open
        SseEmitter page = new SseEmitter(0L);
        page.onCompletion(() -> pages.remove(page));
        page.onTimeout(() -> pages.remove(page));
        page.onError(failure -> pages.remove(page));
        pages.add(page);
        return page;
    }

    /** Open pages would otherwise hold a graceful shutdown for its whole timeout. */
    @EventListener(ContextClosedEvent.class)
    void closePages() {
        pages.forEach(SseEmitter::complete);
        pages.clear();
    }

    void publish(Snapshot snapshot) {
        synchronized (this) {
            history.addLast(snapshot);
            while (history.size() > capacity) {
                history.removeFirst();
            }
        }
        for (SseEmitter page : pages) {
            try {
                page.send(SseEmitter.event().name("snapshot").data(snapshot, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                pages.remove(page);
            }
        }
    }
}
