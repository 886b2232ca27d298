package io.bayeuxd.server;

import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.config.Setting;
import io.bayeuxd.security.RulesSecurityPolicy;
import io.bayeuxd.security.webhook.AuthWebhook;
import io.bayeuxd.security.jwt.JwtKeys;
import io.bayeuxd.security.jwt.JwtSecurityPolicy;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * {@code java -jar bayeuxd.jar}: starts the broker. Its flags are the settings declared in
 * {@link SettingsCatalog}; each may also come from its environment variable or a config file
 * ({@link ConfigDefaults}); {@code --help} lists them with their defaults.
 */
@Command(name = "bayeuxd", mixinStandardHelpOptions = true, version = "bayeuxd 0.1.0", sortOptions = false,
        description = "A fast, Faye-compatible Bayeux broker.%nEvery --flag-name can also be set with the environment "
                + "variable BAYEUXD_FLAG_NAME or as flag-name=value in the --config file (flags win, then the "
                + "environment, then the file).%n", showDefaultValues = true, modelTransformer = SettingOptions.class)
public final class BrokerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BrokerMain.class);

    // Filled by picocli; the options themselves come from the declarations (SettingOptions).
    @Spec
    CommandSpec spec;

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
            String flag = ServerSettings.CONFIG.flag();
            if (args[i].equals(flag) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(flag + "=")) {
                return Path.of(args[i].substring(flag.length() + 1));
            }
        }
        String fromEnv = env.get(ServerSettings.CONFIG.envVar());
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("bayeuxd: invalid setting: " + e.getMessage());
            return 2;
        }
        LogSetup.apply(value(ServerSettings.LOG_FORMAT));
        IdleHeapReturn.apply(millis(ServerSettings.HEAP_RETURN_INTERVAL));
        BrokerServer server;
        try {
            server = new BrokerServer(config).start();
        } catch (IllegalStateException e) {
            // A node that cannot reach its cluster's Redis at start-up: one line, no stack trace.
            spec.commandLine().getErr().println("bayeuxd: " + e.getMessage());
            return 1;
        }
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
        return ServerConfig.builder()
                .host(value(ServerSettings.HOST))
                .port(value(ServerSettings.PORT))
                .ioThreads(value(ServerSettings.IO_THREADS))
                .drainTimeoutMs(millis(ServerSettings.DRAIN_TIMEOUT))
                .maxConnections(value(ServerSettings.MAX_CONNECTIONS))
                .maxConnectionsPerAddress(value(ServerSettings.MAX_CONNECTIONS_PER_ADDRESS))
                .tls(file(ServerSettings.TLS_CERT), file(ServerSettings.TLS_KEY))
                .managementPort(value(ServerSettings.MANAGEMENT_PORT))
                .managementHost(value(ServerSettings.MANAGEMENT_HOST))
                .apiKey(value(ServerSettings.API_KEY))
                .securityPolicy(securityPolicy())
                .asyncSecurityPolicy(authWebhook())
                .stripExtFields(new LinkedHashSet<>(value(BrokerSettings.STRIP_EXT_FIELDS)))
                .engine(value(ServerSettings.ENGINE))
                .redisUrl(value(ServerSettings.REDIS_URL))
                .broker(BrokerConfig.builder()
                        .timeoutMs(millis(BrokerSettings.TIMEOUT))
                        .outboxCapacity(value(BrokerSettings.OUTBOX_CAPACITY))
                        .slowConsumerPolicy(value(BrokerSettings.SLOW_CONSUMER))
                        .maxSubscriptionsPerSession(value(BrokerSettings.MAX_SUBSCRIPTIONS))
                        .maxChannelLength(value(BrokerSettings.MAX_CHANNEL_LENGTH))
                        .maxChannelDepth(value(BrokerSettings.MAX_CHANNEL_DEPTH))
                        .publishesPerSecond(value(BrokerSettings.PUBLISH_RATE))
                        .handshakesPerSecondPerAddress(value(BrokerSettings.HANDSHAKE_RATE))
                        .requireHandshakeToPublish(value(BrokerSettings.REQUIRE_HANDSHAKE))
                        .storage(value(BrokerSettings.HISTORY_CHANNELS), value(BrokerSettings.STATE_CHANNELS),
                                value(BrokerSettings.STATE_MAX_RECORDS), value(BrokerSettings.STATE_MAX_BYTES),
                                value(BrokerSettings.MAX_STORED_CHANNELS))
                        .dataDir(value(BrokerSettings.DATA_DIR), value(BrokerSettings.DATA_FSYNC))
                        .presenceChannels(value(BrokerSettings.PRESENCE_CHANNELS))
                        .build())
                .transport(TransportConfig.builder()
                        .mount(value(TransportSettings.MOUNT))
                        .pingIntervalMs(millis(TransportSettings.PING))
                        .allowedOrigins(value(TransportSettings.ALLOWED_ORIGINS))
                        .maxMessageBytes(value(TransportSettings.MAX_MESSAGE_BYTES))
                        // ServerConfig keeps the broker's connection types in step with this.
                        .jsonpEnabled(value(TransportSettings.JSONP))
                        .websocketCompression(value(TransportSettings.WEBSOCKET_COMPRESSION))
                        .websocketCompressOnce(value(TransportSettings.WEBSOCKET_COMPRESS_ONCE))
                        .trustedProxies(value(TransportSettings.TRUSTED_PROXIES))
                        .idleTimeoutMs(millis(TransportSettings.IDLE_TIMEOUT))
                        .clientDir(value(TransportSettings.CLIENT_DIR))
                        .staticDir(value(TransportSettings.STATIC_DIR))
                        .build())
                .build();
    }

    private <T> T value(Setting<T> setting) {
        return SettingOptions.value(spec, setting);
    }

    private long millis(Setting<Long> duration) {
        return duration.toMillis(value(duration));
    }

    private File file(Setting<Path> setting) {
        Path path = value(setting);
        return path == null ? null : path.toFile();
    }

    /**
     * The policy of {@code --security-file} or of one of the JWT settings; they exclude each other, since
     * each decides alone who may handshake.
     */
    private SecurityPolicy securityPolicy() {
        Path file = value(ServerSettings.SECURITY_FILE);
        String secret = value(ServerSettings.JWT_SECRET);
        Path publicKey = value(ServerSettings.JWT_PUBLIC_KEY);
        Path jwks = value(ServerSettings.JWT_JWKS_FILE);
        List<String> chosen = new ArrayList<>();
        for (Setting<?> setting : List.of(ServerSettings.SECURITY_FILE, ServerSettings.JWT_SECRET,
                ServerSettings.JWT_PUBLIC_KEY, ServerSettings.JWT_JWKS_FILE, ServerSettings.AUTH_WEBHOOK)) {
            if (value(setting) != null) {
                chosen.add(setting.flag());
            }
        }
        if (chosen.size() > 1) {
            throw new IllegalArgumentException(String.join(" and ", chosen) + " exclude each other: choose one");
        }
        if (secret != null) {
            ServerSettings.JWT_SECRET.check(secret);
            return jwtPolicy(JwtKeys.secret(secret));
        }
        if (publicKey != null) {
            return jwtPolicy(keys(ServerSettings.JWT_PUBLIC_KEY, () -> JwtKeys.publicKeyFile(publicKey)));
        }
        if (jwks != null) {
            return jwtPolicy(keys(ServerSettings.JWT_JWKS_FILE, () -> JwtKeys.jwksFile(jwks)));
        }
        if (file == null) {
            return SecurityPolicy.ALLOW_ALL;
        }
        try {
            return RulesSecurityPolicy.load(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(ServerSettings.SECURITY_FILE.flag() + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** The policy of {@code --auth-webhook}, or null; {@link #securityPolicy()} checked that it is alone. */
    private AsyncSecurityPolicy authWebhook() {
        String url = value(ServerSettings.AUTH_WEBHOOK);
        if (url == null) {
            return null;
        }
        ServerSettings.AUTH_WEBHOOK.check(url);
        long timeoutMs = millis(ServerSettings.AUTH_WEBHOOK_TIMEOUT);
        try {
            return new AuthWebhook(URI.create(url), AuthWebhook.Options.DEFAULTS.withTimeoutMs(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ServerSettings.AUTH_WEBHOOK.flag() + ": " + e.getMessage());
        }
    }

    /** Reads keys, naming the setting in what goes wrong. */
    private JwtSecurityPolicy jwtPolicy(JwtKeys keys) {
        return new JwtSecurityPolicy(keys, Clock.systemUTC(), Duration.ofSeconds(value(ServerSettings.JWT_CLOCK_SKEW)));
    }

    private static JwtKeys keys(Setting<Path> setting, Supplier<JwtKeys> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting.flag() + ": " + e.getMessage());
        }
    }
}
