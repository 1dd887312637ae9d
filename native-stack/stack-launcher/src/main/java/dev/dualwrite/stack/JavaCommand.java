package dev.dualwrite.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command lines for the JVMs of the stack, run by the same java as the launcher. */
final class JavaCommand {

    private JavaCommand() {}

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code java <options> <marker> -cp <libs>/* <main> <args>}; options are split on whitespace. */
    static List<String> classpath(String options, String marker, Path libs, String mainClass, String... args) {
        if (!Files.isDirectory(libs)) {
            throw new StackException(libs + " is missing: build first (mvn -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(split(options));
        command.add(marker);
        command.add("-cp");
        command.add(libs + "/*");
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return command;
    }

    static List<String> split(String options) {
        return options == null || options.isBlank()
                ? List.of()
                : Arrays.asList(options.trim().split("\\s+"));
    }
}
