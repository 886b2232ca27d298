package io.bayeuxd.server;

import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.security.StripExtFields;
import io.bayeuxd.transport.TransportConfig;

import java.io.File;
import java.util.Set;

/**
 * Everything a {@link BrokerServer} needs: where to listen, and the protocol and transport settings.
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
    private final Set<String> stripExtFields;
    private final int managementPort;
    private final String managementHost;

    private ServerConfig(Builder b) {
        this.managementPort = b.managementPort;
        this.managementHost = b.managementHost == null ? b.host : b.managementHost;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsKey = b.tlsKey;
        this.securityPolicy = b.securityPolicy;
        this.stripExtFields = Set.copyOf(b.stripExtFields);
        this.host = b.host;
        this.port = b.port;
        this.ioThreads = b.ioThreads;
        this.drainTimeoutMs = b.drainTimeoutMs;
        this.broker = b.broker;
        this.transport = b.transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bind address; {@code 0.0.0.0} for all interfaces. */
    public String host() { return host; }

    /** TCP port; 0 picks a free one (see {@link BrokerServer#port()}). */
    public int port() { return port; }

    /** Event-loop threads; 0 means Netty's default (twice the cores). */
    public int ioThreads() { return ioThreads; }

    /** How long {@link BrokerServer#drain()} waits for connections to hand over and close. */
    public long drainTimeoutMs() { return drainTimeoutMs; }

    public BrokerConfig broker() { return broker; }

    public TransportConfig transport() { return transport; }

    /** Open connections allowed in total (0: no cap); more are answered 503 and closed. */
    public int maxConnections() { return maxConnections; }

    /** Open connections allowed from one client address (0: no cap). */
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }

    /** PEM certificate chain for HTTPS/WSS, or {@code null} for plain HTTP. */
    public File tlsCertificate() { return tlsCertificate; }

    /** PEM private key (PKCS#8) for HTTPS/WSS, or {@code null}. */
    public File tlsKey() { return tlsKey; }

    /** Who may handshake, subscribe and publish. */
    public SecurityPolicy securityPolicy() { return securityPolicy; }

    /** Fields removed from the {@code ext} of published messages before subscribers see them. */
    public Set<String> stripExtFields() { return stripExtFields; }

    /**
     * Port of the management listener, which serves {@code /metrics}, {@code /healthz} and {@code /readyz};
     * -1 for none (the default), 0 for a free one. With one, the traffic port answers {@code /metrics} 404.
     */
    public int managementPort() { return managementPort; }

    /** Bind address of the management listener; the traffic port's unless set. */
    public String managementHost() { return managementHost; }

    /** Builder with the classic Faye setup: port 8000, mount {@code /}; a 10 s drain. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8000;
        private int ioThreads = 0;
        private long drainTimeoutMs = 10_000;
        private BrokerConfig broker = BrokerConfig.defaults();
        private TransportConfig transport = TransportConfig.defaults();
        private int maxConnections = 0;
        private int maxConnectionsPerAddress = 0;
        private File tlsCertificate;
        private File tlsKey;
        private SecurityPolicy securityPolicy = SecurityPolicy.ALLOW_ALL;
        private Set<String> stripExtFields = StripExtFields.DEFAULT_FIELDS;
        private int managementPort = -1;
        private String managementHost;

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
        public Builder stripExtFields(Set<String> v) { stripExtFields = v; return this; }
        public Builder managementPort(int v) { managementPort = v; return this; }
        public Builder managementHost(String v) { managementHost = v; return this; }

        public ServerConfig build() {
            if (maxConnections < 0 || maxConnectionsPerAddress < 0) {
                throw new IllegalArgumentException("connection caps must not be negative");
            }
            if ((tlsCertificate == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("TLS needs both a certificate and a key");
            }
            if (securityPolicy == null || stripExtFields == null) {
                throw new IllegalArgumentException("security policy and strip fields must be set");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
            if (managementPort < -1 || managementPort > 65535) {
                throw new IllegalArgumentException("management port must be between 0 and 65535, or -1 for none");
            }
            if (managementPort > 0 && managementPort == port && (managementHost == null || managementHost.equals(host))) {
                throw new IllegalArgumentException("management port must differ from the port");
            }
            if (ioThreads < 0) {
                throw new IllegalArgumentException("io threads must not be negative");
            }
            if (drainTimeoutMs < 0) {
                throw new IllegalArgumentException("drain timeout must not be negative");
            }
            return new ServerConfig(this);
        }
    }
}
