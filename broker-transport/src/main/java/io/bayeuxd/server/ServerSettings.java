package io.bayeuxd.server;

import io.bayeuxd.config.Setting;
import io.bayeuxd.config.Unit;
import io.bayeuxd.config.ValueType;
import io.bayeuxd.security.jwt.JwtKeys;

import java.nio.file.Path;
import java.util.Map;

/**
 * The settings of the server around the broker (listening, limits, TLS, management port, engine) and of
 * the command line itself, declared once: {@link ServerConfig.Builder} takes its defaults and checks from
 * here, and the command line and the docs list them from here.
 */
final class ServerSettings {
    /** Read before the other settings, from the flag or its variable; not a key of the file itself. */
    public static final Setting<Path> CONFIG = Setting.named("config", ValueType.PATH)
            .description("properties file of settings (its keys are the flag names without dashes)")
            .build();

    public static final Setting<Integer> PORT = Setting.named("port", ValueType.INTEGER)
            .defaultValue(8000).between(0, 65535)
            .description("TCP port; 0 picks a free one")
            .build();

    public static final Setting<String> HOST = Setting.named("host", ValueType.TEXT)
            .defaultValue("0.0.0.0")
            .description("bind address")
            .build();

    public static final Setting<Long> DRAIN_TIMEOUT = Setting.named("drain-timeout", ValueType.LONG)
            .defaultValue(10L).unit(Unit.SECONDS).atLeast(0)
            .description("seconds a SIGTERM waits while clients are handed their messages and sent elsewhere "
                    + "([operations](operations.md))")
            .build();

    public static final Setting<Integer> IO_THREADS = Setting.named("io-threads", ValueType.INTEGER)
            .defaultValue(0).atLeast(0)
            .description("Netty event-loop threads; 0 for one per core")
            .build();

    public static final Setting<Integer> MAX_CONNECTIONS = Setting.named("max-connections", ValueType.INTEGER)
            .defaultValue(ConnectionCap.AUTO).atLeast(0).special(ConnectionCap.AUTO, "from the open-file limit")
            .description("open connections in total, above which a connection is answered 503 and closed; unset "
                    + "(-1), the cap is the open-file limit less the files open at start and a headroom of max(64, 5 %) "
                    + "([operations](operations.md)); 0 for no cap")
            .build();

    public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = Setting.named("max-connections-per-address",
                    ValueType.INTEGER)
            .defaultValue(0).atLeast(0)
            .description("open connections per client address; 0 for no cap")
            .build();

    public static final Setting<Path> SECURITY_FILE = Setting.named("security-file", ValueType.PATH)
            .description("JSON rules for who may handshake, subscribe and publish ([security](security.md)); "
                    + "without it anyone may")
            .build();

    /** A secret: never logged, and a rejected one is not repeated in the error. */
    public static final Setting<String> JWT_SECRET = Setting.named("jwt-secret", ValueType.TEXT)
            .rule(secret -> secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= JwtKeys.MIN_SECRET_BYTES,
                    "must be at least " + JwtKeys.MIN_SECRET_BYTES + " bytes")
            .secret()
            .description("HMAC secret (HS256/384/512) of the JWTs clients present in the handshake's `ext.token`; "
                    + "a handshake without a valid one is refused ([security](security.md#jwt-the-documented-default))")
            .build();

    public static final Setting<Path> JWT_PUBLIC_KEY = Setting.named("jwt-public-key", ValueType.PATH)
            .description("PEM file of the RSA or EC public key (or certificate) that signs the clients' JWTs "
                    + "(RS, PS or ES algorithms); instead of `--jwt-secret`")
            .build();

    public static final Setting<Path> JWT_JWKS_FILE = Setting.named("jwt-jwks-file", ValueType.PATH)
            .description("JWKS file of the RSA and EC public keys that sign the clients' JWTs, chosen by `kid`; "
                    + "instead of `--jwt-secret`")
            .build();

    public static final Setting<Long> JWT_CLOCK_SKEW = Setting.named("jwt-clock-skew", ValueType.LONG)
            .defaultValue(30L).unit(Unit.SECONDS).atLeast(0)
            .description("seconds a JWT is still accepted past its `exp`, for clocks that differ; a session is ended "
                    + "once its token is past `exp` by more than this, and its client handshakes again "
                    + "([security](security.md#token-expiry))")
            .build();

    public static final Setting<String> AUTH_WEBHOOK = Setting.named("auth-webhook", ValueType.TEXT)
            .rule(url -> url.matches("(?i)https?://[^\\s]+"), "must be an http:// or https:// URL")
            .description("URL of the application's backend, asked by a JSON POST about every handshake, subscribe and "
                    + "publish ([security](security.md#the-auth-webhook---auth-webhook)); instead of `--security-file` "
                    + "and the JWT settings")
            .build();

    public static final Setting<Long> AUTH_WEBHOOK_TIMEOUT = Setting.named("auth-webhook-timeout", ValueType.LONG)
            .defaultValue(2L).unit(Unit.SECONDS).atLeast(1)
            .description("seconds the broker waits for the auth webhook's answer; past it the client gets "
                    + "`403::Authorization timed out`")
            .build();

    public static final Setting<Path> TLS_CERT = Setting.named("tls-cert", ValueType.PATH)
            .description("PEM certificate chain: serve HTTPS and WSS (OpenSSL when netty-tcnative is present, the JDK "
                    + "otherwise); needs `--tls-key`")
            .build();

    public static final Setting<Path> TLS_KEY = Setting.named("tls-key", ValueType.PATH)
            .description("PEM private key (PKCS#8) for `--tls-cert`")
            .build();

    public static final Setting<Integer> MANAGEMENT_PORT = Setting.named("management-port", ValueType.INTEGER)
            .defaultValue(-1).between(0, 65535).special(-1, "none")
            .description("a second port serving `/metrics`, `/healthz` and `/readyz`, and with `--api-key` the HTTP API; "
                    + "`/metrics` then leaves the broker's port ([operations](operations.md)); -1 for none")
            .build();

    public static final Setting<String> MANAGEMENT_HOST = Setting.named("management-host", ValueType.TEXT)
            .noDefault("`--host`")
            .description("bind address of the management port")
            .build();

    /** A secret: never logged, and a rejected one is not repeated in the error. */
    public static final Setting<String> API_KEY = Setting.named("api-key", ValueType.TEXT)
            .noDefault("none: no API")
            .rule(key -> key.length() >= 16 && key.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                    "must be at least 16 printable ASCII characters without spaces")
            .secret()
            .description("turns on the HTTP API on the management port (`/api/publish`, `/api/channels`, `/api/info`, "
                    + "`/api/disconnect`, `/api/unsubscribe`, `/api/presence`; see [api](api.md)), each call authorised by `Authorization: Bearer KEY`; "
                    + "needs `--management-port`")
            .build();

    public static final Setting<Long> HEAP_RETURN_INTERVAL = Setting.named("heap-return-interval", ValueType.LONG)
            .defaultValue(10L).unit(Unit.SECONDS).atLeast(0)
            .description("seconds without a garbage collection after which G1 collects and gives unused heap back to "
                    + "the OS, keeping at most 20 % of it free (set at start through G1's manageable flags, unless "
                    + "given on the java command line); 0 leaves the JVM's defaults ([S6](benchmarks.md#s6-at-the-machines-limits))")
            .build();

    public static final Setting<String> LOG_FORMAT = Setting.named("log-format",
                    ValueType.choice(String.class, Map.entry("text", "text"), Map.entry("json", "json")))
            .defaultValue("text")
            .description("`text` or `json` (one JSON object per line)")
            .build();

    public static final Setting<EngineKind> ENGINE = Setting.named("engine",
                    ValueType.choice(EngineKind.class, Map.entry("memory", EngineKind.MEMORY), Map.entry("redis", EngineKind.REDIS)))
            .defaultValue(EngineKind.MEMORY)
            .description("`memory`: this broker alone; `redis`: one node of several on one Redis, publications "
                    + "reach every subscriber of every node (needs `--redis-url`; see [scaling](scaling.md))")
            .build();

    /** May carry a password, so a wrong one is not repeated in the error. */
    public static final Setting<String> REDIS_URL = Setting.named("redis-url", ValueType.TEXT)
            .rule(url -> url.matches("(?i)(redis|rediss|redis-sentinel|redis-cluster)://.+"),
                    "must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL")
            .secret()
            .description("the Redis server of `--engine redis`, as a `redis://`, `rediss://` (TLS) or "
                    + "`redis-sentinel://` URL, or `redis-cluster://HOST:PORT,HOST:PORT` for a Redis Cluster (sharded "
                    + "pub/sub, Redis 7); required with that engine")
            .build();

    private ServerSettings() {
    }
}
