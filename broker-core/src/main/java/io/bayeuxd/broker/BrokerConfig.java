package io.bayeuxd.broker;

import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.ConnectionTypes;

import io.bayeuxd.storage.StorageLog;
import io.bayeuxd.storage.StorageRules;

import java.nio.file.Path;
import java.util.List;

/**
 * Protocol settings, validated once when built. Units are in the names. The defaults and checks of those
 * with a command-line flag come from their declarations in {@link BrokerSettings}.
 */
public final class BrokerConfig {
    private final long timeoutMs;
    private final long intervalMs;
    private final int outboxCapacity;
    private final int maxMessagesPerFrame;
    private final boolean requireHandshakeToPublish;
    private final int maxChannelLength;
    private final int maxChannelDepth;
    private final int maxSubscriptionsPerSession;
    private final int publishesPerSecond;
    private final int publishBurst;
    private final int handshakesPerSecondPerAddress;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final List<String> connectionTypes;
    private final Advice retryAdvice;
    private final StorageRules storage;
    private final List<String> presenceChannels;

    private BrokerConfig(Builder b) {
        this.presenceChannels = List.copyOf(b.presenceChannels);
        this.retryAdvice = Advice.retry(b.intervalMs, b.timeoutMs);
        this.storage = b.storage;
        this.connectionTypes = List.copyOf(b.connectionTypes);
        this.maxChannelLength = b.maxChannelLength;
        this.maxChannelDepth = b.maxChannelDepth;
        this.maxSubscriptionsPerSession = b.maxSubscriptionsPerSession;
        this.publishesPerSecond = b.publishesPerSecond;
        this.publishBurst = b.publishBurst > 0 ? b.publishBurst : Math.max(1, b.publishesPerSecond);
        this.handshakesPerSecondPerAddress = b.handshakesPerSecondPerAddress;
        this.slowConsumerPolicy = b.slowConsumerPolicy;
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

    /** The advice every successful handshake and connect reply carries; built once. */
    public Advice retryAdvice() {
        return retryAdvice;
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

    /** Longest channel name or pattern accepted (characters); longer ones are {@code 405 Invalid channel}. */
    public int maxChannelLength() {
        return maxChannelLength;
    }

    /** Most segments a channel may have; deeper ones are {@code 405 Invalid channel}. */
    public int maxChannelDepth() {
        return maxChannelDepth;
    }

    /** Subscriptions one client may hold; more are refused with {@code 403 Too many subscriptions}. */
    public int maxSubscriptionsPerSession() {
        return maxSubscriptionsPerSession;
    }

    /** Publishes a second one session may make (0: unlimited); more get {@code 429 Too many publishes}. */
    public int publishesPerSecond() {
        return publishesPerSecond;
    }

    /** How many publishes a session may make at once before the rate applies. */
    public int publishBurst() {
        return publishBurst;
    }

    /** Handshakes a second one client address may make (0: unlimited); more get {@code 429 Too many handshakes}. */
    public int handshakesPerSecondPerAddress() {
        return handshakesPerSecondPerAddress;
    }

    /** The connection types offered at handshake and accepted at connect (without {@link ConnectionTypes#CALLBACK_POLLING} when JSONP is off). */
    public List<String> connectionTypes() {
        return connectionTypes;
    }

    /** What happens to a client whose outbox is full. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** Which channels keep history or Webix records (none by default). */
    public StorageRules storage() {
        return storage;
    }

    /** Channel patterns whose joins and leaves are published on {@code /presence/...} (none by default). */
    public List<String> presenceChannels() {
        return presenceChannels;
    }

    public Builder toBuilder() {
        return builder().timeoutMs(timeoutMs).intervalMs(intervalMs).outboxCapacity(outboxCapacity)
                .maxMessagesPerFrame(maxMessagesPerFrame).requireHandshakeToPublish(requireHandshakeToPublish)
                .maxChannelLength(maxChannelLength).maxChannelDepth(maxChannelDepth)
                .maxSubscriptionsPerSession(maxSubscriptionsPerSession).publishesPerSecond(publishesPerSecond)
                .publishBurst(publishBurst).handshakesPerSecondPerAddress(handshakesPerSecondPerAddress)
                .slowConsumerPolicy(slowConsumerPolicy).connectionTypes(connectionTypes).storage(storage)
                .presenceChannels(presenceChannels);
    }

    /** What to do with a client that does not keep up with its messages. */
    public enum SlowConsumerPolicy {
        /** Refuse the message that does not fit (counted); the client keeps its session and older messages. */
        DROP_NEWEST,
        /** End the session: its next connect is told to handshake again, and it re-subscribes. */
        DISCONNECT
    }

    /** Builder with the declared defaults ({@link BrokerSettings}): Faye's 60 s timeout, 0 interval. */
    public static final class Builder {
        private long timeoutMs = BrokerSettings.TIMEOUT.defaultMillis();
        private long intervalMs = 0;
        private int outboxCapacity = BrokerSettings.OUTBOX_CAPACITY.defaultValue();
        private int maxMessagesPerFrame = 512;
        private boolean requireHandshakeToPublish = BrokerSettings.REQUIRE_HANDSHAKE.defaultValue();
        private int maxChannelLength = BrokerSettings.MAX_CHANNEL_LENGTH.defaultValue();
        private int maxChannelDepth = BrokerSettings.MAX_CHANNEL_DEPTH.defaultValue();
        private int maxSubscriptionsPerSession = BrokerSettings.MAX_SUBSCRIPTIONS.defaultValue();
        private int publishesPerSecond = BrokerSettings.PUBLISH_RATE.defaultValue();
        private int publishBurst = 0;
        private int handshakesPerSecondPerAddress = BrokerSettings.HANDSHAKE_RATE.defaultValue();
        private SlowConsumerPolicy slowConsumerPolicy = BrokerSettings.SLOW_CONSUMER.defaultValue();
        private List<String> connectionTypes = ConnectionTypes.ALL;
        private List<String> presenceChannels = BrokerSettings.PRESENCE_CHANNELS.defaultValue();
        private StorageRules storage = StorageRules.of(BrokerSettings.HISTORY_CHANNELS.defaultValue(),
                BrokerSettings.STATE_CHANNELS.defaultValue(), BrokerSettings.STATE_MAX_RECORDS.defaultValue(),
                BrokerSettings.STATE_MAX_BYTES.defaultValue(), BrokerSettings.MAX_STORED_CHANNELS.defaultValue());

        public Builder timeoutMs(long v) { timeoutMs = v; return this; }
        public Builder intervalMs(long v) { intervalMs = v; return this; }
        public Builder outboxCapacity(int v) { outboxCapacity = v; return this; }
        public Builder maxMessagesPerFrame(int v) { maxMessagesPerFrame = v; return this; }
        public Builder requireHandshakeToPublish(boolean v) { requireHandshakeToPublish = v; return this; }
        public Builder maxChannelLength(int v) { maxChannelLength = v; return this; }
        public Builder maxChannelDepth(int v) { maxChannelDepth = v; return this; }
        public Builder maxSubscriptionsPerSession(int v) { maxSubscriptionsPerSession = v; return this; }
        public Builder publishesPerSecond(int v) { publishesPerSecond = v; return this; }
        public Builder publishBurst(int v) { publishBurst = v; return this; }
        public Builder handshakesPerSecondPerAddress(int v) { handshakesPerSecondPerAddress = v; return this; }
        public Builder slowConsumerPolicy(SlowConsumerPolicy v) { slowConsumerPolicy = v; return this; }
        public Builder connectionTypes(List<String> v) { connectionTypes = v; return this; }
        public Builder storage(StorageRules v) { storage = v; return this; }
        public Builder presenceChannels(List<String> v) { presenceChannels = v; return this; }

        /** Storage rules from the settings' values (see {@link BrokerSettings#HISTORY_CHANNELS} and the rest). */
        public Builder storage(List<String> historyChannels, List<String> stateChannels, int maxRecords, long maxBytes,
                               int maxChannels) {
            return storage(StorageRules.of(historyChannels, stateChannels, maxRecords, maxBytes, maxChannels));
        }

        /** Keeps the storage rules' channels in an append-only file in {@code dir} (null: memory only). */
        public Builder dataDir(Path dir, StorageLog.Fsync fsync) {
            return storage(storage.persistedIn(dir, fsync));
        }

        public BrokerConfig build() {
            BrokerSettings.TIMEOUT.checkMillis(timeoutMs);
            require(intervalMs >= 0, "interval must not be negative");
            BrokerSettings.OUTBOX_CAPACITY.check(outboxCapacity);
            require(maxMessagesPerFrame >= 1, "max messages per frame must be at least 1");
            BrokerSettings.MAX_CHANNEL_LENGTH.check(maxChannelLength);
            BrokerSettings.MAX_CHANNEL_DEPTH.check(maxChannelDepth);
            BrokerSettings.MAX_SUBSCRIPTIONS.check(maxSubscriptionsPerSession);
            BrokerSettings.PUBLISH_RATE.check(publishesPerSecond);
            require(publishBurst >= 0, "publish burst must not be negative");
            BrokerSettings.HANDSHAKE_RATE.check(handshakesPerSecondPerAddress);
            BrokerSettings.SLOW_CONSUMER.check(slowConsumerPolicy);
            require(storage != null, "storage rules must not be null");
            require(presenceChannels != null, "presence channels must not be null");
            BrokerSettings.PRESENCE_CHANNELS.check(presenceChannels);
            require(connectionTypes != null && !connectionTypes.isEmpty() && ConnectionTypes.ALL.containsAll(connectionTypes),
                    "connection types must be a non-empty subset of " + ConnectionTypes.ALL);
            return new BrokerConfig(this);
        }

        private static void require(boolean ok, String why) {
            if (!ok) {
                throw new IllegalArgumentException(why);
            }
        }
    }
}
