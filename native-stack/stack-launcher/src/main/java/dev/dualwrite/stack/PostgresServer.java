package dev.dualwrite.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL from the binaries that zonky publishes on Maven Central, with {@code wal_level=logical} so that
 * Debezium can read the WAL. PostgreSQL refuses to run as root; as root the server runs in a user namespace where
 * our uid is mapped to {@code nobody}, so the files stay ours and no system account is needed.
 */
final class PostgresServer {

    private static final String BINARIES = "postgres-linux-x86_64.txz";

    private final StackSettings settings;
    private final Path binaries;
    private final Path dataDir;
    private final ManagedProcess process;

    PostgresServer(StackSettings settings) {
        this.settings = settings;
        this.binaries = settings.runDir().resolve("postgres/binaries");
        this.dataDir = settings.runDir().resolve("postgres/data");
        this.process = new ManagedProcess(
                "postgres",
                dataDir.resolve("postmaster.pid"),
                settings.logDir().resolve("postgres.log"),
                dataDir.toString());
    }

    ManagedProcess process() {
        return process;
    }

    String start() {
        if (settings.usesExternalPostgres()) {
            awaitConnectable(settings.jdbcUrl(), Duration.ofSeconds(10));
            return "external server at " + settings.jdbcUrl();
        }
        if (process.running().isPresent()) {
            return "already running";
        }
        ManagedProcess.requirePortFree("postgres", settings.host(), settings.postgresPort());
        extractBinaries();
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initialize();
        }
        run(List.of(
                bin("pg_ctl"),
                "start",
                "-D",
                dataDir.toString(),
                "-l",
                process.logFile().toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p %d -c max_slot_wal_keep_size=%s".formatted(settings.postgresPort(), maxSlotWalKeepSize())));
        String adminUrl = "jdbc:postgresql://%s:%d/postgres".formatted(settings.host(), settings.postgresPort());
        awaitConnectable(adminUrl, Duration.ofSeconds(30));
        createDatabaseIfMissing(adminUrl);
        return "started";
    }

    /**
     * The most WAL a replication slot may hold back; beyond it PostgreSQL invalidates the slot rather than fill the
     * disk (a connector that was stopped for good, a transaction left open). Set at every start, so an existing data
     * directory gets it too. {@code POSTGRES_MAX_SLOT_WAL_KEEP_SIZE} overrides (e.g. 512MB; -1 = unlimited).
     */
    static String maxSlotWalKeepSize() {
        String size = System.getenv().getOrDefault("POSTGRES_MAX_SLOT_WAL_KEEP_SIZE", "2GB");
        if (!size.matches("-1|\\d+(kB|MB|GB|TB)?")) {
            throw new StackException(
                    "POSTGRES_MAX_SLOT_WAL_KEEP_SIZE must be a size such as 2GB or 512MB, or -1; was: " + size);
        }
        return size;
    }

    /** A fast shutdown: open sessions are ended, every committed transaction is already durable in the WAL. */
    boolean stop() {
        if (settings.usesExternalPostgres() || process.running().isEmpty()) {
            return false;
        }
        run(List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
        return true;
    }

    /**
     * An immediate shutdown, as a crash would leave the server: the next start replays the WAL. pg_ctl does not wait
     * (-W); this waits for the postmaster it signalled to end. With -w pg_ctl watches the pid file instead, and when a
     * supervisor (the lab's) has already started the next server there, it waits for that one until it gives up.
     */
    void crash() {
        Optional<ProcessHandle> postmaster = process.running();
        run(List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "immediate", "-W"));
        postmaster.ifPresent(handle -> {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new StackException("PostgreSQL (pid %d) did not end within 60 s of an immediate shutdown; read %s"
                        .formatted(handle.pid(), settings.logDir().resolve("postgres.log")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted", e);
            } catch (ExecutionException e) {
                throw new StackException("waiting for PostgreSQL to end failed: " + e.getCause(), e);
            }
        });
    }

    private void initialize() {
        try {
            Files.createDirectories(dataDir.getParent());
            Path passwordFile = settings.runDir().resolve("postgres/initdb.pw");
            Files.writeString(passwordFile, settings.password());
            run(List.of(
                    bin("initdb"),
                    "-D",
                    dataDir.toString(),
                    "-U",
                    settings.username(),
                    "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C"));
            Files.delete(passwordFile);
            // The superuser is also the application user: Debezium needs replication, the demo needs nothing finer.
            Files.writeString(
                    dataDir.resolve("postgresql.conf"),
                    """

                    # --- dual-write-patterns native stack ---
                    listen_addresses = '%s'
                    port = %d
                    unix_socket_directories = ''
                    wal_level = logical
                    max_wal_senders = 10
                    max_replication_slots = 10
                    max_connections = 200
                    fsync = on
                    synchronous_commit = on
                    """.formatted(settings.host(), settings.postgresPort()),
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createDatabaseIfMissing(String adminUrl) {
        try (Connection connection = DriverManager.getConnection(adminUrl, settings.username(), settings.password());
                Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '"
                    + settings.database().replace("'", "''") + "'");
            if (!exists.next()) {
                statement.execute(
                        "CREATE DATABASE \"" + settings.database() + "\" OWNER \"" + settings.username() + "\"");
            }
        } catch (SQLException e) {
            throw new StackException(
                    "could not create database %s: %s; read %s"
                            .formatted(settings.database(), e.getMessage(), process.logFile()),
                    e);
        }
    }

    private void awaitConnectable(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(url, settings.username(), settings.password())) {
                return;
            } catch (SQLException e) {
                last = e;
                ManagedProcess.pause(Duration.ofMillis(200));
            }
        }
        throw new StackException("PostgreSQL at %s is not reachable (%s); read %s"
                .formatted(url, last == null ? "timeout" : last.getMessage(), process.logFile()));
    }

    private void extractBinaries() {
        if (Files.isExecutable(binaries.resolve("bin/postgres"))) {
            return;
        }
        Path partial = binaries.resolveSibling("binaries.partial");
        try (InputStream archive = PostgresServer.class.getClassLoader().getResourceAsStream(BINARIES)) {
            if (archive == null) {
                throw new StackException(
                        BINARIES + " is not on the classpath (io.zonky.test.postgres binaries for linux-amd64)");
            }
            deleteRecursively(partial);
            untar(new TarArchiveInputStream(new XZCompressorInputStream(archive)), partial);
            Files.move(partial, binaries, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("could not extract the PostgreSQL binaries: " + e.getMessage(), e);
        }
    }

    private static void untar(TarArchiveInputStream tar, Path target) throws IOException {
        Files.createDirectories(target);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path path = target.resolve(entry.getName()).normalize();
            if (!path.startsWith(target)) {
                throw new IOException("archive entry outside the target: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(path.getParent());
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                Files.createDirectories(path.getParent());
                Files.createLink(path, target.resolve(entry.getLinkName()));
            } else {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                boolean executable = (entry.getMode() & 0100) != 0;
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>(asUnprivilegedUser());
        full.addAll(command);
        try {
            Files.createDirectories(process.logFile().getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(process.logFile().toFile()));
            builder.environment().putAll(Map.of("LC_ALL", "C"));
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new StackException("%s failed (exit %d); read %s"
                        .formatted(
                                Path.of(command.get(0)).getFileName() + " " + command.get(1), exit, process.logFile()));
            }
        } catch (IOException e) {
            throw new StackException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static List<String> asUnprivilegedUser() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        return List.of("unshare", "--user", "--map-user=65534", "--map-group=65534");
    }
}
