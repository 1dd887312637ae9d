package dev.dualwrite.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The log4j2 configuration of the Kafka and Connect JVMs: INFO to standard output, which is their log file. */
final class Log4jConfiguration {

    private static final String CONFIGURATION = """
            status = warn
            appender.stdout.type = Console
            appender.stdout.name = STDOUT
            appender.stdout.layout.type = PatternLayout
            appender.stdout.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.stdout.ref = STDOUT
            logger.clients.name = org.apache.kafka.clients
            logger.clients.level = WARN
            """;

    private Log4jConfiguration() {}

    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("log4j2.properties");
            Files.writeString(file, CONFIGURATION);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
