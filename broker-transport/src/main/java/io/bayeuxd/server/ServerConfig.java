package io.bayeuxd.server;

import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.protocol.ConnectionTypes;
import io.bayeuxd.security.StripExtFields;
import io.bayeuxd.transport.TransportConfig;

import java.io.File;
import java.util.List;
import java.util.Set;

/**
 * Everything a {@link BrokerServer} needs: where to listen, and the protocol and transport settings. The
 * defaults and checks of those with a command-line flag come from their declarations in
 * {@link ServerSettings}, {@link io.bayeuxd.broker.BrokerSettings} and
 * {@link io.bayeuxd.transport.TransportSettings}, so an embedded server starts as the command line does.
 */
public final class ServerConfig {
    private final String host;
    private final int port;
    private final int ioThreads;
    private final long drainTimeoutMs;
    private final BrokerConfig broker;
    private final TransportConfig transport;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final File tlsCertificate;
    private final File tlsKey;
    private final SecurityPolicy securityPolicy;
    private final AsyncSecurityPolicy asyncSecurityPolicy;
    private final Set<String> stripExtFields;
    private final int managementPort;
    private final String managementHost;
    private final String apiKey;
    private final EngineKind engine;
    private final String redisUrl;

    private ServerConfig(Builder b, BrokerConfig broker, TransportConfig transport) {
        this.engine = b.engine;
        this.redisUrl = b.redisUrl;
        this.managementPort = b.managementPort;
        this.managementHost = b.managementHost == null ? b.host : b.managementHost;
        this.apiKey = b.apiKey;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsKey = b.tlsKey;
        this.securityPolicy = b.securityPolicy;
        this.asyncSecurityPolicy = b.asyncSecurityPolicy;
        this.stripExtFields = Set.copyOf(b.stripExtFields);
        this.host = b.host;
        this.port = b.port;
        this.ioThreads = b.ioThreads;
        this.drainTimeoutMs = b.drainTimeoutMs;
        this.broker = broker;
        this.transport = transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bind address; {@code 0.0.0.0} for all interfaces. */
    public String host() { return host; }

    /** TCP port; 0 picks a free one (see {@link BrokerServer#port()}). */
    public int port() { return port; }

    /** Event-loop threads; 0 means one per core. */
    public int ioThreads() { return ioThreads; }

    /** How long {@link BrokerServer#drain()} waits for connections to hand over and close. */
    public long drainTimeoutMs() { return drainTimeoutMs; }

    public BrokerConfig broker() { return broker; }

    public TransportConfig transport() { return transport; }

    /**
     * Open connections allowed in total; more are answered 503 and closed. 0: no cap;
     * {@link ConnectionCap#AUTO} (the default): derived from the open-file limit when the server is built.
     */
    public int maxConnections() { return maxConnections; }

    /** Open connections allowed from one client address (0: no cap). */
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }

    /** PEM certificate chain for HTTPS/WSS, or {@code null} for plain HTTP. */
    public File tlsCertificate() { return tlsCertificate; }

    /** PEM private key (PKCS#8) for HTTPS/WSS, or {@code null}. */
    public File tlsKey() { return tlsKey; }

    /** Who may handshake, subscribe and publish. */
    public SecurityPolicy securityPolicy() { return securityPolicy; }
    /** The policy that may answer later ({@code --auth-webhook}), installed instead of {@link #securityPolicy()}; or null. */
    public AsyncSecurityPolicy asyncSecurityPolicy() { return asyncSecurityPolicy; }

    /** Fields removed from the {@code ext} of published messages before subscribers see them. */
    public Set<String> stripExtFields() { return stripExtFields; }

    /**
     * Port of the management listener, which serves {@code /metrics}, {@code /healthz} and {@code /readyz};
     * -1 for none (the default), 0 for a free one. With one, the traffic port answers {@code /metrics} 404.
     */
    public int managementPort() { return managementPort; }

    /** Bind address of the management listener; the traffic port's unless set. */
    public String managementHost() { return managementHost; }

    /**
     * The key of the HTTP API on the management port ({@code Authorization: Bearer KEY}), or {@code null}
     * when the API is off (the default). A secret: never logged.
     */
    public String apiKey() { return apiKey; }

    /** Where sessions, subscriptions and messages live. */
    public EngineKind engine() { return engine; }

    /** The Redis server of {@link EngineKind#REDIS}, or null when unset. */
    public String redisUrl() { return redisUrl; }

    /** Builder with the declared defaults, the classic Faye setup: port 8000, mount {@code /}; a 10 s drain. */
    public static final class Builder {
        private String host = ServerSettings.HOST.defaultValue();
        private int port = ServerSettings.PORT.defaultValue();
        private int ioThreads = ServerSettings.IO_THREADS.defaultValue();
        private long drainTimeoutMs = ServerSettings.DRAIN_TIMEOUT.defaultMillis();
        private BrokerConfig broker = BrokerConfig.defaults();
        private TransportConfig transport = TransportConfig.defaults();
        private int maxConnections = ServerSettings.MAX_CONNECTIONS.defaultValue();
        private int maxConnectionsPerAddress = ServerSettings.MAX_CONNECTIONS_PER_ADDRESS.defaultValue();
        private File tlsCertificate;
        private File tlsKey;
        private SecurityPolicy securityPolicy = SecurityPolicy.ALLOW_ALL;
        private AsyncSecurityPolicy asyncSecurityPolicy;
        private Set<String> stripExtFields = StripExtFields.DEFAULT_FIELDS;
        private int managementPort = ServerSettings.MANAGEMENT_PORT.defaultValue();
        private String managementHost;
        private String apiKey;
        private EngineKind engine = ServerSettings.ENGINE.defaultValue();
        private String redisUrl;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder drainTimeoutMs(long v) { drainTimeoutMs = v; return this; }
        public Builder broker(BrokerConfig v) { broker = v; return this; }
        public Builder transport(TransportConfig v) { transport = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        public Builder tls(File certificate, File key) { tlsCertificate = certificate; tlsKey = key; return this; }
        public Builder securityPolicy(SecurityPolicy v) { securityPolicy = v; return this; }
        /** A policy that may answer later, instead of {@link #securityPolicy}; null (the default) for none. */
        public Builder asyncSecurityPolicy(AsyncSecurityPolicy v) { asyncSecurityPolicy = v; return this; }
        public Builder stripExtFields(Set<String> v) { stripExtFields = v; return this; }
        public Builder managementPort(int v) { managementPort = v; return this; }
        public Builder managementHost(String v) { managementHost = v; return this; }
        /** Turns on the HTTP API on the management port with this key; null (the default) for no API. */
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder engine(EngineKind v) { engine = v; return this; }
        /** A {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL; null for none. */
        public Builder redisUrl(String v) { redisUrl = v; return this; }

        public ServerConfig build() {
            ServerSettings.MAX_CONNECTIONS.check(maxConnections);
            ServerSettings.MAX_CONNECTIONS_PER_ADDRESS.check(maxConnectionsPerAddress);
            if ((tlsCertificate == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("TLS needs both a certificate and a key");
            }
            if (securityPolicy == null || stripExtFields == null) {
                throw new IllegalArgumentException("security policy and strip fields must be set");
            }
            ServerSettings.PORT.check(port);
            ServerSettings.MANAGEMENT_PORT.check(managementPort);
            if (managementPort > 0 && managementPort == port && (managementHost == null || managementHost.equals(host))) {
                throw new IllegalArgumentException("management port must differ from the port");
            }
            if (apiKey != null) {
                ServerSettings.API_KEY.check(apiKey);
                if (managementPort < 0) {
                    throw new IllegalArgumentException(ServerSettings.API_KEY.flag() + " needs "
                            + ServerSettings.MANAGEMENT_PORT.flag() + ": the API is served on the management port only");
                }
            }
            ServerSettings.IO_THREADS.check(ioThreads);
            ServerSettings.DRAIN_TIMEOUT.checkMillis(drainTimeoutMs);
            ServerSettings.ENGINE.check(engine);
            if (redisUrl != null) {
                ServerSettings.REDIS_URL.check(redisUrl);
            }
            if (engine == EngineKind.REDIS && redisUrl == null) {
                throw new IllegalArgumentException(ServerSettings.REDIS_URL.flag() + " is required when "
                        + ServerSettings.ENGINE.flag() + " is redis (or set " + ServerSettings.REDIS_URL.envVar() + ")");
            }
            if (broker == null || transport == null) {
                throw new IllegalArgumentException("broker and transport settings must be set");
            }
            if (engine == EngineKind.REDIS && !broker.storage().isEmpty() && redisUrl != null
                    && redisUrl.regionMatches(true, 0, "redis-cluster://", 0, 16)) {
                // Stored channels are numbered by one script on one Redis; a Cluster spreads keys over shards.
                throw new IllegalArgumentException(BrokerSettings.HISTORY_CHANNELS.flag() + " and "
                        + BrokerSettings.STATE_CHANNELS.flag() + " are not supported on a Redis Cluster yet");
            }
            if (engine == EngineKind.REDIS && broker.storage().dataDir() != null) {
                throw new IllegalArgumentException(BrokerSettings.DATA_DIR.flag()
                        + " is for a node alone: with --engine redis, stored channels are kept in Redis");
            }
            return inStep(broker, transport.withConnectTimeout(broker.timeoutMs()));
        }

        /**
         * JSONP is served only when both halves agree: the transport answers {@code GET ?message=&jsonp=} and
         * the broker offers callback-polling. Switching either off switches off both, so a client is never
         * offered a connection type that is then refused (or served one it was never offered).
         */
        private ServerConfig inStep(BrokerConfig broker, TransportConfig transport) {
            if (transport.jsonpEnabled() && broker.connectionTypes().contains(ConnectionTypes.CALLBACK_POLLING)) {
                return new ServerConfig(this, broker, transport);
            }
            List<String> types = broker.connectionTypes().stream()
                    .filter(type -> !type.equals(ConnectionTypes.CALLBACK_POLLING)).toList();
            return new ServerConfig(this, broker.toBuilder().connectionTypes(types).build(), transport.withoutJsonp());
        }
    }
}
