package io.bayeuxd.transport;

import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.transport.http.ClientScripts;
import io.bayeuxd.transport.http.StaticFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the HTTP and WebSocket transports, validated once when built. Units are in the names. The
 * defaults and checks of those with a command-line flag come from their declarations in
 * {@link TransportSettings}.
 */
public final class TransportConfig {
    /** {@link Builder#idleTimeoutMs}: close idle connections 30 s after the connect timeout (the default). */
    public static final long IDLE_FOLLOWS_CONNECT_TIMEOUT = -1;
    /** How much longer than a held {@code /meta/connect} a connection may stay silent. */
    static final long IDLE_SLACK_MS = 30_000;

    private final String mount;
    private final int maxMessageBytes;
    private final long pingIntervalMs;
    private final List<String> allowedOrigins;
    private final int maxPipelinedRequests;
    private final boolean jsonpEnabled;
    private final boolean websocketCompression;
    private final boolean websocketCompressOnce;
    private final List<String> trustedProxies;
    private final long idleTimeoutMs;
    private final long connectTimeoutMs;
    private final ClientScripts clientScripts;
    private final StaticFiles staticFiles;

    private TransportConfig(Builder b) {
        this.jsonpEnabled = b.jsonpEnabled;
        this.websocketCompression = b.websocketCompression;
        this.websocketCompressOnce = b.websocketCompressOnce;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.connectTimeoutMs = BrokerSettings.TIMEOUT.defaultMillis();
        this.clientScripts = b.clientScripts;
        this.staticFiles = b.staticFiles;
        this.mount = b.mount;
        this.maxMessageBytes = b.maxMessageBytes;
        this.pingIntervalMs = b.pingIntervalMs;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.maxPipelinedRequests = b.maxPipelinedRequests;
    }

    private TransportConfig(TransportConfig base, long connectTimeoutMs, boolean jsonpEnabled) {
        this.jsonpEnabled = jsonpEnabled;
        this.websocketCompression = base.websocketCompression;
        this.websocketCompressOnce = base.websocketCompressOnce;
        this.trustedProxies = base.trustedProxies;
        this.idleTimeoutMs = base.idleTimeoutMs;
        this.connectTimeoutMs = connectTimeoutMs;
        this.clientScripts = base.clientScripts;
        this.staticFiles = base.staticFiles;
        this.mount = base.mount;
        this.maxMessageBytes = base.maxMessageBytes;
        this.pingIntervalMs = base.pingIntervalMs;
        this.allowedOrigins = base.allowedOrigins;
        this.maxPipelinedRequests = base.maxPipelinedRequests;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TransportConfig defaults() {
        return builder().build();
    }

    /** The path the broker answers under (and every path below it), as Faye's {@code mount}. */
    public String mount() {
        return mount;
    }

    /** Largest HTTP body or WebSocket message accepted; larger ones get 413 or a close with 1009. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Interval of WebSocket ping frames; 0 disables them. */
    public long pingIntervalMs() {
        return pingIntervalMs;
    }

    /** Origins allowed for CORS and WebSocket upgrades; empty means any origin (Faye's behaviour). */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** HTTP requests a client may pipeline behind a held long-poll before the connection is closed. */
    public int maxPipelinedRequests() {
        return maxPipelinedRequests;
    }

    /** Whether JSONP callback-polling ({@code GET ?message=&jsonp=}) is served. */
    public boolean jsonpEnabled() {
        return jsonpEnabled;
    }

    /**
     * Whether a WebSocket client that offers {@code permessage-deflate} gets it ({@code --websocket-compression});
     * when false no extension is negotiated and frames with reserved bits set are protocol errors.
     */
    public boolean websocketCompression() {
        return websocketCompression;
    }

    /** Whether a compressed WebSocket's pushed messages are compressed once and shared (else per connection by Netty). */
    public boolean websocketCompressOnce() {
        return websocketCompressOnce;
    }

    /** Proxy addresses whose {@code X-Forwarded-For} / {@code Forwarded} headers are believed. */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /**
     * A connection that sends nothing for this long is closed (0: never). Unless set, the connect timeout
     * plus 30 s: the default connect timeout's until {@link #withConnectTimeout} gives the broker's.
     */
    public long idleTimeoutMs() {
        return idleTimeoutMs == IDLE_FOLLOWS_CONNECT_TIMEOUT ? connectTimeoutMs + IDLE_SLACK_MS : idleTimeoutMs;
    }

    /** This config for a broker that holds connects this long (which an idle timeout left unset follows). */
    public TransportConfig withConnectTimeout(long ms) {
        return new TransportConfig(this, ms, jsonpEnabled);
    }

    /** This config with JSONP callback-polling switched off. */
    public TransportConfig withoutJsonp() {
        return new TransportConfig(this, connectTimeoutMs, false);
    }

    /** Faye's browser client files ({@link Builder#clientDir}); {@link ClientScripts#NONE} without them. */
    public ClientScripts clientScripts() {
        return clientScripts;
    }

    /** The {@code --static} directory's files ({@link Builder#staticDir}); {@link StaticFiles#NONE} without one. */
    public StaticFiles staticFiles() {
        return staticFiles;
    }

    /** Whether a request with this {@code Origin} header value may be served. */
    public boolean isOriginAllowed(String origin) {
        if (origin == null || allowedOrigins.isEmpty()) {
            return true;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        for (String allowed : allowedOrigins) {
            if (allowed.equals("*") || allowed.equalsIgnoreCase(o)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code path} (without query) is the mount or below it. */
    public boolean isUnderMount(String path) {
        if (mount.equals("/")) {
            return path.startsWith("/");
        }
        return path.equals(mount) || path.startsWith(mount + "/") || path.startsWith(mount + ".");
    }

    /** Builder with the declared defaults ({@link TransportSettings}): Faye's mount {@code /}. */
    public static final class Builder {
        private String mount = TransportSettings.MOUNT.defaultValue();
        private int maxMessageBytes = TransportSettings.MAX_MESSAGE_BYTES.defaultValue();
        private long pingIntervalMs = TransportSettings.PING.defaultMillis();
        private List<String> allowedOrigins = TransportSettings.ALLOWED_ORIGINS.defaultValue();
        private int maxPipelinedRequests = 16;
        private boolean jsonpEnabled = TransportSettings.JSONP.defaultValue();
        private boolean websocketCompression = TransportSettings.WEBSOCKET_COMPRESSION.defaultValue();
        private boolean websocketCompressOnce = TransportSettings.WEBSOCKET_COMPRESS_ONCE.defaultValue();
        private List<String> trustedProxies = TransportSettings.TRUSTED_PROXIES.defaultValue();
        private long idleTimeoutMs = TransportSettings.IDLE_TIMEOUT.defaultMillis();
        private ClientScripts clientScripts = ClientScripts.NONE;
        private StaticFiles staticFiles = StaticFiles.NONE;

        public Builder mount(String v) { mount = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder pingIntervalMs(long v) { pingIntervalMs = v; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }
        public Builder maxPipelinedRequests(int v) { maxPipelinedRequests = v; return this; }
        public Builder jsonpEnabled(boolean v) { jsonpEnabled = v; return this; }
        public Builder websocketCompression(boolean v) { websocketCompression = v; return this; }
        public Builder websocketCompressOnce(boolean v) { websocketCompressOnce = v; return this; }
        public Builder trustedProxies(List<String> v) { trustedProxies = v; return this; }
        /** 0 for never; {@link #IDLE_FOLLOWS_CONNECT_TIMEOUT}, the default, for the connect timeout plus 30 s. */
        public Builder idleTimeoutMs(long v) { idleTimeoutMs = v; return this; }
        /**
         * Reads the faye npm package's {@code client} directory now, to serve {@code <mount>/client.js} as
         * Faye does; null for none.
         *
         * @throws IllegalArgumentException if it is not such a directory
         */
        public Builder clientDir(Path v) {
            try {
                clientScripts = v == null ? ClientScripts.NONE : ClientScripts.load(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TransportSettings.CLIENT_DIR.flag() + ": " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Serves the files of this directory at their paths under the mount ({@link StaticFiles}); null for
         * none.
         *
         * @throws IllegalArgumentException if it is not a directory
         */
        public Builder staticDir(Path v) {
            try {
                staticFiles = v == null ? StaticFiles.NONE : StaticFiles.open(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TransportSettings.STATIC_DIR.flag() + ": " + e.getMessage(), e);
            }
            return this;
        }

        public TransportConfig build() {
            TransportSettings.MOUNT.check(mount);
            if (mount.length() > 1 && mount.endsWith("/")) {
                mount = mount.substring(0, mount.length() - 1);
            }
            TransportSettings.MAX_MESSAGE_BYTES.check(maxMessageBytes);
            TransportSettings.PING.checkMillis(pingIntervalMs);
            TransportSettings.IDLE_TIMEOUT.checkMillis(idleTimeoutMs);
            if (allowedOrigins == null || trustedProxies == null) {
                throw new IllegalArgumentException("allowed origins and trusted proxies must be lists, empty for none");
            }
            if (maxPipelinedRequests < 1) {
                throw new IllegalArgumentException("max pipelined requests must be at least 1");
            }
            return new TransportConfig(this);
        }
    }
}
