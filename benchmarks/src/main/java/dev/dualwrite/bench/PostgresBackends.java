package dev.dualwrite.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL's CPU by client: the backends of each application (its connections name it, {@code ApplicationName}),
 * Debezium's replication connection, and the server's own processes (WAL writer, checkpointer, autovacuum), read from
 * /proc per backend. Taken once when a measurement starts: pooled connections live that long; a backend that ends
 * meanwhile is missed (the postmaster total still has it).
 */
final class PostgresBackends {

    /* The benchmark's own connections are named "bench": its progress queries show as a client of their own. */
    private static final String BACKENDS = """
            SELECT pid,
                   CASE WHEN backend_type = 'walsender' THEN 'replication (Debezium)'
                        WHEN backend_type = 'client backend' THEN coalesce(nullif(application_name, ''), 'unnamed client')
                        ELSE 'server processes' END AS client
              FROM pg_stat_activity
            """;

    private final Map<String, List<Long>> pidsByClient;

    private PostgresBackends(Map<String, List<Long>> pidsByClient) {
        this.pidsByClient = pidsByClient;
    }

    static PostgresBackends now(JdbcClient jdbc) {
        Map<String, List<Long>> pids = new TreeMap<>();
        jdbc.sql(BACKENDS)
                .query((rs, row) -> Map.entry(rs.getString("client"), rs.getLong("pid")))
                .list()
                .forEach(backend -> pids.computeIfAbsent(backend.getKey(), client -> new ArrayList<>())
                        .add(backend.getValue()));
        return new PostgresBackends(pids);
    }

    /**
     * CPU seconds each backend has used so far, by "client/pid"; NaN for one that has ended (a pool retires its
     * connections after their maximum lifetime, and a pid that is gone must not read as zero CPU).
     */
    Map<String, Double> seconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pidsByClient.forEach(
                (client, pids) -> pids.forEach(pid -> seconds.put(client + "/" + pid, ProcessCpu.ownSeconds(pid))));
        return seconds;
    }
}
