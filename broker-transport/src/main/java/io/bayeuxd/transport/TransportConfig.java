package io.bayeuxd.transport;

import io.bayeuxd.transport.http.ClientScripts;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the HTTP and WebSocket transports, validated once when built. Units are in the names.
 */
public final class TransportConfig {
    private final String mount;
    private final int maxMessageBytes;
    private final long pingIntervalMs;
    private final List<String> allowedOrigins;
    private final int maxPipelinedRequests;
    private final boolean jsonpEnabled;
    private final List<String> trustedProxies;
    private final long idleTimeoutMs;
    private final ClientScripts clientScripts;

    private TransportConfig(Builder b) {
        this.jsonpEnabled = b.jsonpEnabled;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.clientScripts = b.clientScripts;
        this.mount = b.mount;
        this.maxMessageBytes = b.maxMessageBytes;
        this.pingIntervalMs = b.pingIntervalMs;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.maxPipelinedRequests = b.maxPipelinedRequests;
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

    /** Proxy addresses whose {@code X-Forwarded-For} / {@code Forwarded} headers are believed. */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** A connection that sends nothing for this long is closed (0: never). */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** Faye's browser client files ({@link Builder#clientDir}); {@link ClientScripts#NONE} without them. */
    public ClientScripts clientScripts() {
        return clientScripts;
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

    /** Builder with Faye's defaults: mount {@code /}. */
    public static final class Builder {
        private String mount = "/";
        private int maxMessageBytes = 1024 * 1024;
        private long pingIntervalMs = 0;
        private List<String> allowedOrigins = List.of();
        private int maxPipelinedRequests = 16;
        private boolean jsonpEnabled = true;
        private List<String> trustedProxies = List.of();
        private long idleTimeoutMs = 0;
        private ClientScripts clientScripts = ClientScripts.NONE;

        public Builder mount(String v) { mount = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder pingIntervalMs(long v) { pingIntervalMs = v; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }
        public Builder maxPipelinedRequests(int v) { maxPipelinedRequests = v; return this; }
        public Builder jsonpEnabled(boolean v) { jsonpEnabled = v; return this; }
        public Builder trustedProxies(List<String> v) { trustedProxies = v; return this; }
        public Builder idleTimeoutMs(long v) { idleTimeoutMs = v; return this; }
        /**
         * Reads the faye npm package's {@code client} directory now, to serve {@code <mount>/client.js} as
         * Faye does; null for none.
         *
         * @throws IllegalArgumentException if it is not such a directory
         */
        public Builder clientDir(Path v) { clientScripts = v == null ? ClientScripts.NONE : ClientScripts.load(v); return this; }

        public TransportConfig build() {
            if (mount == null || !mount.startsWith("/")) {
                throw new IllegalArgumentException("mount must start with '/'");
            }
            if (mount.length() > 1 && mount.endsWith("/")) {
                mount = mount.substring(0, mount.length() - 1);
            }
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("max message bytes must be at least 1024");
            }
            if (pingIntervalMs < 0) {
                throw new IllegalArgumentException("ping interval must not be negative");
            }
            if (idleTimeoutMs < 0) {
                throw new IllegalArgumentException("idle timeout must not be negative");
            }
            if (maxPipelinedRequests < 1) {
                throw new IllegalArgumentException("max pipelined requests must be at least 1");
            }
            return new TransportConfig(this);
        }
    }
}
