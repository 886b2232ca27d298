package io.bayeuxd.server;

import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.security.RulesSecurityPolicy;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.http.ClientScripts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar bayeuxd.jar}: starts the broker. Each flag may also come from its environment
 * variable or a config file ({@link ConfigDefaults}); {@code --help} lists them with their defaults.
 */
@Command(name = "bayeuxd", mixinStandardHelpOptions = true, version = "bayeuxd 0.1.0", sortOptions = false,
        description = "A fast, Faye-compatible Bayeux broker.%nEvery --flag-name can also be set with the environment "
                + "variable BAYEUXD_FLAG_NAME or as flag-name=value in the --config file (flags win, then the "
                + "environment, then the file).%n", showDefaultValues = true)
public final class BrokerMain implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file of settings (env BAYEUXD_CONFIG).")
    File configFile;

    @Option(names = "--port", defaultValue = "8000", description = "TCP port.")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Bind address.")
    String host;

    @Option(names = "--mount", defaultValue = "/", description = "Path the broker serves, and every path below it.")
    String mount;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds a /meta/connect is held; silent clients expire after twice this.")
    long timeoutSeconds;

    @Option(names = "--ping", defaultValue = "0", description = "Seconds between WebSocket pings; 0 for none.")
    long pingSeconds;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "",
            description = "Comma-separated origins allowed for CORS and WebSocket upgrades; empty allows any.")
    List<String> allowedOrigins;

    @Option(names = "--max-message-bytes", defaultValue = "1048576", description = "Largest HTTP body or WebSocket message.")
    int maxMessageBytes;

    @Option(names = "--drain-timeout", defaultValue = "10",
            description = "Seconds a SIGTERM waits for clients to be handed their messages and disconnected.")
    long drainTimeoutSeconds;

    @Option(names = "--io-threads", defaultValue = "0", description = "Event-loop threads; 0 for twice the cores.")
    int ioThreads;

    @Option(names = "--idle-timeout", defaultValue = "-1",
            description = "Seconds without a byte from a client before its connection is closed; -1 for the connect timeout plus 30 s, 0 for never.")
    long idleTimeoutSeconds;

    @Option(names = "--outbox-capacity", defaultValue = "4096", description = "Messages waiting per client before it counts as a slow consumer.")
    int outboxCapacity;

    @Option(names = "--slow-consumer", defaultValue = "drop",
            description = "What happens to a client whose outbox is full: drop (the new message, counted) or disconnect (it must handshake again).")
    String slowConsumer;

    @Option(names = "--max-subscriptions", defaultValue = "1024", description = "Subscriptions one client may hold.")
    int maxSubscriptions;

    @Option(names = "--max-channel-length", defaultValue = "1024", description = "Longest channel name in characters.")
    int maxChannelLength;

    @Option(names = "--max-channel-depth", defaultValue = "32", description = "Most segments in a channel name.")
    int maxChannelDepth;

    @Option(names = "--publish-rate", defaultValue = "0", description = "Publishes per second per client; 0 for no limit.")
    int publishRate;

    @Option(names = "--handshake-rate", defaultValue = "0", description = "Handshakes per second per client address; 0 for no limit.")
    int handshakeRate;

    @Option(names = "--max-connections", defaultValue = "0", description = "Open connections in total; 0 for no cap.")
    int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = "0", description = "Open connections per client address; 0 for no cap.")
    int maxConnectionsPerAddress;

    @Option(names = "--require-handshake", defaultValue = "false", arity = "0..1",
            description = "Refuse publishes from clients without a session (Faye allows them).")
    boolean requireHandshake;

    @Option(names = "--jsonp", defaultValue = "true", arity = "0..1", description = "Serve JSONP callback-polling.")
    boolean jsonp;

    @Option(names = "--security-file", description = "JSON rules for who may handshake, subscribe and publish (docs/security.md).")
    File securityFile;

    @Option(names = "--strip-ext-fields", split = ",", defaultValue = "token,authToken,password,secret",
            description = "ext fields removed from published messages before subscribers see them; empty for none.")
    List<String> stripExtFields;

    @Option(names = "--trusted-proxies", split = ",", defaultValue = "",
            description = "Proxy IPs whose X-Forwarded-For / Forwarded headers give the client address.")
    List<String> trustedProxies;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS and WSS.")
    File tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
    File tlsKey;

    @Option(names = "--management-port", defaultValue = "-1",
            description = "Serve /metrics, /healthz and /readyz on this port too, and /metrics only there; -1 for none.")
    int managementPort;

    @Option(names = "--management-host", description = "Bind address of the management port (default: --host).")
    String managementHost;

    @Option(names = "--client-dir", description = "The faye npm package's client directory: serve <mount>/client.js as Faye does.")
    File clientDir;

    @Option(names = "--log-format", defaultValue = "text", description = "Log lines as text or json.")
    String logFormat;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.err, true)));
    }

    /** Parses the settings and runs the broker until SIGTERM; returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintWriter err) {
        CommandLine cli = commandLine(new BrokerMain(), env, configPath(args, env), err);
        return cli == null ? 2 : cli.execute(args);
    }

    /**
     * The settings as flags, environment and file give them, validated; for tests. Throws
     * {@link IllegalArgumentException} with the one line {@code run} would print.
     */
    static ServerConfig parse(String[] args, Map<String, String> env) {
        java.io.StringWriter out = new java.io.StringWriter();
        BrokerMain main = new BrokerMain();
        CommandLine cli = commandLine(main, env, configPath(args, env), new PrintWriter(out, true));
        if (cli == null) {
            throw new IllegalArgumentException(out.toString().trim());
        }
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("bayeuxd: " + e.getMessage());
        }
        return main.config();
    }

    private static CommandLine commandLine(BrokerMain main, Map<String, String> env, Path config, PrintWriter err) {
        CommandLine cli = new CommandLine(main);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("bayeuxd: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        try {
            ConfigDefaults defaults = ConfigDefaults.load(config, env);
            Set<String> unknown = defaults.unknownKeys(cli.getCommandSpec());
            if (!unknown.isEmpty()) {
                err.println("bayeuxd: invalid setting: unknown key(s) " + unknown + " in config file " + config);
                return null;
            }
            cli.setDefaultValueProvider(defaults);
            return cli;
        } catch (IllegalArgumentException e) {
            err.println("bayeuxd: invalid setting: " + e.getMessage());
            return null;
        }
    }

    private static Path configPath(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = env.get("BAYEUXD_CONFIG");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
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
        LogSetup.apply(logFormat);
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

    /** The validated settings; throws {@link IllegalArgumentException} naming the first bad one. */
    ServerConfig config() {
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new IllegalArgumentException("--log-format must be text or json, not " + logFormat);
        }
        BrokerConfig.SlowConsumerPolicy policy = switch (slowConsumer) {
            case "drop" -> BrokerConfig.SlowConsumerPolicy.DROP_NEWEST;
            case "disconnect" -> BrokerConfig.SlowConsumerPolicy.DISCONNECT;
            default -> throw new IllegalArgumentException("--slow-consumer must be drop or disconnect, not " + slowConsumer);
        };
        long idleMs = idleTimeoutSeconds < 0 ? (timeoutSeconds + 30) * 1000 : idleTimeoutSeconds * 1000;
        List<String> types = new ArrayList<>(BrokerConfig.CONNECTION_TYPES);
        if (!jsonp) {
            types.remove("callback-polling");
        }
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .ioThreads(ioThreads)
                .drainTimeoutMs(drainTimeoutSeconds * 1000)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .tls(tlsCert, tlsKey)
                .managementPort(managementPort)
                .managementHost(managementHost)
                .securityPolicy(securityPolicy())
                .stripExtFields(new LinkedHashSet<>(clean(stripExtFields)))
                .broker(BrokerConfig.builder()
                        .timeoutMs(timeoutSeconds * 1000)
                        .outboxCapacity(outboxCapacity)
                        .slowConsumerPolicy(policy)
                        .maxSubscriptionsPerSession(maxSubscriptions)
                        .maxChannelLength(maxChannelLength)
                        .maxChannelDepth(maxChannelDepth)
                        .publishesPerSecond(publishRate)
                        .handshakesPerSecondPerAddress(handshakeRate)
                        .requireHandshakeToPublish(requireHandshake)
                        .connectionTypes(types)
                        .build())
                .transport(TransportConfig.builder()
                        .mount(mount)
                        .pingIntervalMs(pingSeconds * 1000)
                        .allowedOrigins(clean(allowedOrigins))
                        .maxMessageBytes(maxMessageBytes)
                        .jsonpEnabled(jsonp)
                        .trustedProxies(clean(trustedProxies))
                        .idleTimeoutMs(idleMs)
                        .clientDir(clientDir())
                        .build())
                .build();
    }

    private SecurityPolicy securityPolicy() {
        if (securityFile == null) {
            return SecurityPolicy.ALLOW_ALL;
        }
        try {
            return RulesSecurityPolicy.load(securityFile.toPath());
        } catch (IOException e) {
            throw new IllegalArgumentException("--security-file " + securityFile + " cannot be read: " + e.getMessage());
        }
    }

    private Path clientDir() {
        if (clientDir != null && !Files.isRegularFile(clientDir.toPath().resolve(ClientScripts.BROWSER_CLIENT))) {
            throw new IllegalArgumentException("--client-dir " + clientDir + " has no " + ClientScripts.BROWSER_CLIENT
                    + " (give the faye npm package's client directory)");
        }
        return clientDir == null ? null : clientDir.toPath();
    }

    private static List<String> clean(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
