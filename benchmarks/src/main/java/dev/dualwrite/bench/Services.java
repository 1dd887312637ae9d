package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.util.LinkedHashMap;
import java.util.Map;

/** The order services a benchmark drives, by the name the report uses ({@link CreateClient} sends them creates). */
final class Services {

    static final String PLAIN_INSERT = "PLAIN_INSERT";

    private Services() {}

    /**
     * Report name → base URL, from the launcher's one list of applications (so port offsets are honoured); with
     * {@code peers}, the peers' first instances too (docs/peers.md).
     */
    static Map<String, String> writers(StackSettings settings, boolean peers) {
        Map<String, String> services = new LinkedHashMap<>();
        services.put(PLAIN_INSERT, Suite.PLAIN_INSERT.url(settings));
        services.putAll(patterns(settings, peers));
        services.put("NAIVE_DUAL_WRITE", Suite.NAIVE.service().url(settings));
        return services;
    }

    /**
     * The events a create owes through the writer named so: one, its OrderCreated — and for listen-to-yourself its
     * confirmation too, which the service derives from its own OrderCreated. So also the version an order of this
     * writer has once it is through.
     */
    static int eventsPerCreate(String writer) {
        return writer.equals(Pattern.LISTEN_TO_YOURSELF.name()) ? 2 : 1;
    }

    /** The three patterns' services, and with {@code peers} the peers' first instances. */
    static Map<String, String> patterns(StackSettings settings, boolean peers) {
        Map<String, String> services = new LinkedHashMap<>();
        Suite.PATTERNS.forEach(deployment ->
                services.put(deployment.pattern().name(), deployment.service().url(settings)));
        if (peers) {
            Suite.PEERS.forEach(deployment -> services.put(
                    deployment.pattern().name(), deployment.service().url(settings)));
        }
        return services;
    }
}
