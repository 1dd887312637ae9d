package dev.dualwrite.stack;

import dev.dualwrite.debezium.DebeziumConnector;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Command line of the native stack, behind {@code start_all_services.sh} and {@code stop_all_services.sh}:
 * {@code start [infra|peers]}, {@code stop [--purge]}, {@code status}, {@code missing} (what a build must make first).
 */
public final class StackCommand {

    private StackCommand() {}

    private static void usage() {
        System.err.println(
                "usage: start [infra|peers] | stop [--purge] | status | missing | connector register|status|delete");
        System.exit(2);
    }

    public static void main(String[] args) {
        Path home = StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", ".")));
        NativeStack stack = new NativeStack(StackSettings.fromEnvironment(home, System.getenv()));
        String command = args.length == 0 ? "status" : args[0];
        List<String> options = List.of(args).subList(Math.min(1, args.length), args.length);
        try {
            switch (command) {
                case "start" -> {
                    stack.startInfrastructure(System.out::println);
                    if (!options.contains("infra")) {
                        stack.startApplications(Suite.STANDING, System.out::println);
                    }
                    if (options.contains("peers")) {
                        stack.startApplications(Suite.PEER_INSTANCES, System.out::println);
                    }
                    stack.registerConnector(System.out::println);
                }
                case "stop" -> {
                    stack.stop(Suite.EVERY_INSTANCE, System.out::println);
                    if (options.contains("--purge")) {
                        stack.purge();
                        System.out.println("deleted " + stack.settings().runDir());
                    }
                }
                case "status" -> stack.status(Suite.EVERY_INSTANCE).forEach(System.out::println);
                case "missing" -> {
                    List<Path> missing = stack.missingArtifacts();
                    missing.forEach(System.out::println);
                    System.exit(missing.isEmpty() ? 0 : 1);
                }
                case "connector" -> {
                    DebeziumConnector connector = stack.connector();
                    switch (options.isEmpty() ? "status" : options.get(0)) {
                        case "register" -> stack.registerConnector(System.out::println);
                        case "status" -> System.out.println(connector.status());
                        case "delete" -> System.out.println(connector.delete());
                        default -> usage();
                    }
                }
                default -> usage();
            }
        } catch (StackException | DebeziumConnector.ConnectorException | SQLException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
