package dev.dualwrite.testsupport;

import dev.dualwrite.stack.Application;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Free ports for applications an integration test starts as processes beside whatever else runs on the machine. */
public final class ApplicationPorts {

    private ApplicationPorts() {}

    /**
     * An offset, from {@code from} in steps of 100, that moves every given application's contract port onto a free
     * port. Below Linux's ephemeral range (32768 and up): a port there can be taken by any client connection's local
     * end, and a killed application then cannot come back on its port (CI saw a poller fail so for minutes).
     */
    public static int freeOffset(List<Application> applications, int from) {
        for (int offset = from; offset < from + 6000; offset += 100) {
            int base = offset;
            if (applications.stream().allMatch(app -> free(app.port() + base))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free range for the application ports");
    }

    public static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
