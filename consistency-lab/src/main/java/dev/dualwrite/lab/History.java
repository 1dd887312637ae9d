package dev.dualwrite.lab;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client history of a run: every operation attempted, one JSON object per line, appended as it completes and
 * kept with the run ({@code run/lab/<run id>/history.jsonl}) so that a run can be judged again later.
 */
final class History implements AutoCloseable {

    static final String FILE = "history.jsonl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BufferedWriter out;

    History(Path runDirectory) {
        try {
            Files.createDirectories(runDirectory);
            this.out = Files.newBufferedWriter(runDirectory.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void record(Operation operation) {
        try {
            out.write(JSON.writeValueAsString(operation));
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Operation> read(Path runDirectory) {
        try (Stream<String> lines = Files.lines(runDirectory.resolve(FILE))) {
            return lines.filter(line -> !line.isBlank())
                    .map(line -> JSON.readValue(line, Operation.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + runDirectory + ": " + e.getMessage(), e);
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
