package io.bayeuxd.bench.cometd;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * Command line of the benchmark's CometD server. Prints {@code LISTENING <port>} on stdout once it
 * accepts connections, so that a script can start it on port 0 and read the port back; stops on
 * SIGTERM.
 */
@Command(name = "cometd-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A stock CometD 9.0.0 server on embedded Jetty 12.1 at /cometd (WebSocket, long-polling, "
                + "callback-polling), for side-by-side benchmarks.")
public final class CometDServerMain implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "bind address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--timeout", defaultValue = "30",
            description = "seconds a /meta/connect is held (default ${DEFAULT-VALUE}, CometD's own default)")
    double timeoutSec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CometDServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!(timeoutSec > 0) || timeoutSec > 3600) {
            System.err.println("invalid options: --timeout must be in (0, 3600] seconds");
            return 2;
        }
        CometDServer server = new CometDServer(host, port, Math.round(timeoutSec * 1000));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("stop failed: " + e);
            }
        }, "cometd-server-stop"));
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        server.join();
        return 0;
    }
}
