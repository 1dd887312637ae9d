package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The last minutes of snapshots for the charts, and every open page, which gets each new one pushed. Snapshots are
 * wanted while a page is open and for as long as the charts reach back after the last one closed (a reload keeps its
 * charts); otherwise the sampler rests: each sample scrapes every application, the broker and Connect, which on two
 * cores is CPU taken from the orders when nobody looks. The history then starts again, so the charts never join two
 * watched spells across the gap between them.
 */
@Component
public class LiveFeed {

    private final int capacity;
    private final long keepSamplingMillis;
    private final LongSupplier clock;
    private final Deque<Snapshot> history = new ArrayDeque<>();
    private final List<SseEmitter> pages = new CopyOnWriteArrayList<>();
    /**
     * When a page was last open or read the history, or the console's workload ran (its start counts too: its first
     * minutes are sampled). Guarded by this, as the history is: a read either wakes the sampler or sees the rest.
     */
    private long lastWatched;

    @Autowired
    LiveFeed(ConsoleProperties properties) {
        this(properties, System::currentTimeMillis);
    }

    LiveFeed(ConsoleProperties properties, LongSupplier clock) {
        this.capacity = (int) Math.max(10, properties.history().toSeconds());
        this.keepSamplingMillis = properties.history().toMillis();
        this.clock = clock;
        this.lastWatched = clock.getAsLong();
    }

    public synchronized List<Snapshot> history() {
        lastWatched = clock.getAsLong();
        return List.copyOf(history);
    }

    /**
     * Whether the sampler should take a snapshot now: a page is open, or {@code workloadRunning} (the console's own),
     * or either was within the charts' span. Entering a rest clears the history: the charts would otherwise show its
     * last minutes as if they were just before the next.
     */
    synchronized boolean wanted(boolean workloadRunning) {
        long now = clock.getAsLong();
        if (!pages.isEmpty() || workloadRunning) {
            lastWatched = now;
        }
        boolean wanted = now - lastWatched < keepSamplingMillis;
        if (!wanted) {
            history.clear();
        }
        return wanted;
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
