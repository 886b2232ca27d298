package io.bayeuxd.broker;

import java.util.List;

/**
 * Protocol settings, validated once when built. Units are in the names.
 */
public final class BrokerConfig {
    /** The connection types this broker serves, in the order Faye lists them. */
    public static final List<String> CONNECTION_TYPES =
            List.of("long-polling", "cross-origin-long-polling", "callback-polling", "websocket");

    private final long timeoutMs;
    private final long intervalMs;
    private final int outboxCapacity;
    private final int maxMessagesPerFrame;
    private final boolean requireHandshakeToPublish;

    private BrokerConfig(Builder b) {
        this.requireHandshakeToPublish = b.requireHandshakeToPublish;
        this.timeoutMs = b.timeoutMs;
        this.intervalMs = b.intervalMs;
        this.outboxCapacity = b.outboxCapacity;
        this.maxMessagesPerFrame = b.maxMessagesPerFrame;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static BrokerConfig defaults() {
        return builder().build();
    }

    /** How long a {@code /meta/connect} is held; clients silent for twice this are expired. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** The {@code advice.interval} sent to clients. */
    public long intervalMs() {
        return intervalMs;
    }

    /** Messages a session may have waiting (rounded up to a power of two); more are dropped and counted (slow consumer). */
    public int outboxCapacity() {
        return outboxCapacity;
    }

    /** Messages written in one frame or response at most. */
    public int maxMessagesPerFrame() {
        return maxMessagesPerFrame;
    }

    /** Whether a publish must carry the clientId of a live session (Faye does not require one). */
    public boolean requireHandshakeToPublish() {
        return requireHandshakeToPublish;
    }

    public Builder toBuilder() {
        return builder().timeoutMs(timeoutMs).intervalMs(intervalMs).outboxCapacity(outboxCapacity)
                .maxMessagesPerFrame(maxMessagesPerFrame).requireHandshakeToPublish(requireHandshakeToPublish);
    }

    /** Builder with Faye's defaults: 60 s timeout, 0 interval. */
    public static final class Builder {
        private long timeoutMs = 60_000;
        private long intervalMs = 0;
        private int outboxCapacity = 4096;
        private int maxMessagesPerFrame = 512;
        private boolean requireHandshakeToPublish = false;

        public Builder timeoutMs(long v) { timeoutMs = v; return this; }
        public Builder intervalMs(long v) { intervalMs = v; return this; }
        public Builder outboxCapacity(int v) { outboxCapacity = v; return this; }
        public Builder maxMessagesPerFrame(int v) { maxMessagesPerFrame = v; return this; }
        public Builder requireHandshakeToPublish(boolean v) { requireHandshakeToPublish = v; return this; }

        public BrokerConfig build() {
            require(timeoutMs >= 1000, "timeout must be at least 1 second");
            require(intervalMs >= 0, "interval must not be negative");
            require(outboxCapacity >= 2, "outbox capacity must be at least 2");
            require(maxMessagesPerFrame >= 1, "max messages per frame must be at least 1");
            return new BrokerConfig(this);
        }

        private static void require(boolean ok, String why) {
            if (!ok) {
                throw new IllegalArgumentException(why);
            }
        }
    }
}
