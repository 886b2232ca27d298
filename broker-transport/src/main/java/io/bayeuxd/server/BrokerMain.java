package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.TransportConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar bayeuxd.jar}: starts the broker. Every flag can also be set with the environment
 * variable named in {@code --help}.
 */
@Command(name = "bayeuxd", mixinStandardHelpOptions = true, version = "bayeuxd 0.1.0",
        description = "A fast, Faye-compatible Bayeux broker.", showDefaultValues = true)
public final class BrokerMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:BAYEUXD_PORT:-8000}", description = "TCP port (env BAYEUXD_PORT).")
    int port;

    @Option(names = "--host", defaultValue = "${env:BAYEUXD_HOST:-0.0.0.0}", description = "Bind address (env BAYEUXD_HOST).")
    String host;

    @Option(names = "--mount", defaultValue = "${env:BAYEUXD_MOUNT:-/}", description = "Path the broker serves, and every path below it (env BAYEUXD_MOUNT).")
    String mount;

    @Option(names = "--timeout", defaultValue = "${env:BAYEUXD_TIMEOUT:-60}", description = "Seconds a /meta/connect is held (env BAYEUXD_TIMEOUT).")
    long timeoutSeconds;

    @Option(names = "--ping", defaultValue = "${env:BAYEUXD_PING:-0}", description = "Seconds between WebSocket pings, 0 for none (env BAYEUXD_PING).")
    long pingSeconds;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:BAYEUXD_ALLOWED_ORIGINS:-}",
            description = "Comma-separated origins allowed for CORS and WebSocket; empty allows any (env BAYEUXD_ALLOWED_ORIGINS).")
    List<String> allowedOrigins;

    @Option(names = "--max-message-bytes", defaultValue = "${env:BAYEUXD_MAX_MESSAGE_BYTES:-1048576}",
            description = "Largest HTTP body or WebSocket message (env BAYEUXD_MAX_MESSAGE_BYTES).")
    int maxMessageBytes;

    @Option(names = "--drain-timeout", defaultValue = "${env:BAYEUXD_DRAIN_TIMEOUT:-10}",
            description = "Seconds a SIGTERM waits for clients to be handed their messages and disconnected (env BAYEUXD_DRAIN_TIMEOUT).")
    long drainTimeoutSeconds;

    @Option(names = "--io-threads", defaultValue = "${env:BAYEUXD_IO_THREADS:-0}", description = "Event-loop threads, 0 for twice the cores (env BAYEUXD_IO_THREADS).")
    int ioThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BrokerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("bayeuxd: invalid setting: " + e.getMessage());
            return 2;
        }
        BrokerServer server = new BrokerServer(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.drain();
            } finally {
                server.close();
                stopped.countDown();
            }
        }, "bayeuxd-shutdown"));
        stopped.await();
        return 0;
    }

    ServerConfig config() {
        List<String> origins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .ioThreads(ioThreads)
                .drainTimeoutMs(drainTimeoutSeconds * 1000)
                .broker(BrokerConfig.builder().timeoutMs(timeoutSeconds * 1000).build())
                .transport(TransportConfig.builder()
                        .mount(mount)
                        .pingIntervalMs(pingSeconds * 1000)
                        .allowedOrigins(origins)
                        .maxMessageBytes(maxMessageBytes)
                        .build())
                .build();
    }
}
