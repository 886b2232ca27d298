package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.TransportConfig;

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

    private ServerConfig(Builder b) {
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

    /** Builder with the classic Faye setup: port 8000, mount {@code /}; a 10 s drain. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8000;
        private int ioThreads = 0;
        private long drainTimeoutMs = 10_000;
        private BrokerConfig broker = BrokerConfig.defaults();
        private TransportConfig transport = TransportConfig.defaults();

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder drainTimeoutMs(long v) { drainTimeoutMs = v; return this; }
        public Builder broker(BrokerConfig v) { broker = v; return this; }
        public Builder transport(TransportConfig v) { transport = v; return this; }

        public ServerConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
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
