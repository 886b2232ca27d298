package io.bayeuxd.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.SharedDelivery;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The channels the broker keeps something for, created when first published or subscribed to under a
 * {@link StorageRules} pattern, and dropped when they have nothing left to keep. With no rules every
 * lookup is one field read, so a broker that keeps nothing pays nothing on its publish path.
 */
public final class StoredChannels implements AutoCloseable {
    /** Answered by {@link StoredChannel#publish} when the channel was removed meanwhile; looked up again. */
    static final String GONE = "gone";
    /** Answered by {@link #publish} when the channel keeps nothing: the caller publishes it as usual. */
    public static final String NOT_KEPT = "not kept";
    private static final Logger log = LoggerFactory.getLogger(StoredChannels.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] EPOCH_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StorageRules rules;
    private final boolean none;
    /** The {@code --data-dir} log, or null. */
    private final StorageLog storageLog;
    private final ClusterBus bus;
    /** Whether publications are numbered by the cluster bus rather than here. */
    private final boolean clustered;
    private final LongSupplier clock;
    private final NumberedPublisher numbered;
    private final ConcurrentHashMap<String, StoredChannel> channels = new ConcurrentHashMap<>();
    private final AtomicBoolean fullLogged = new AtomicBoolean();
    private final LongAdder notKept = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();

    /** Whether no rule covers any channel, so nothing is ever kept. */
    public boolean keepsNothing() {
        return none;
    }

    /** Memory only, on one node: nothing is read or written, whatever {@link StorageRules#dataDir()} says. */
    public StoredChannels(StorageRules rules) {
        this(rules.persistedIn(null, rules.fsync()), message -> {
            throw new IllegalStateException("nothing to read back");
        }, 0L);
    }

    /**
     * Keeps what {@code rules} say on a node alone and, with a {@link StorageRules#dataDir()}, reads back
     * what the last run kept and writes on from there.
     *
     * @param encode    encodes a delivered message (the broker's encoder); the caller of {@code encode}
     *                  owns the buffer it returns
     * @param nowMillis the broker's monotonic clock, in milliseconds, now
     */
    public StoredChannels(StorageRules rules, Function<Message, ByteBuf> encode, long nowMillis) {
        this(rules, encode, () -> nowMillis, ClusterBus.NONE, (channel, payload) -> { });
    }

    /**
     * As {@link #StoredChannels(StorageRules, Function, long)}; and when {@code bus} {@link
     * ClusterBus#sequences() numbers} stored channels for a cluster, publications go through the bus and
     * every node keeps what the cluster numbers, in the cluster's order (the bus hands over what the
     * cluster keeps first; {@link StorageRules#dataDir()} is then not used).
     *
     * @param clock      the broker's monotonic clock, in milliseconds
     * @param fanOutHere queues a numbered publication for this node's subscribers only; BORROWS the buffer
     */
    public StoredChannels(StorageRules rules, Function<Message, ByteBuf> encode, LongSupplier clock, ClusterBus bus,
                          BiConsumer<String, ByteBuf> fanOutHere) {
        this.rules = rules;
        this.none = rules.isEmpty();
        this.bus = bus;
        this.clustered = !none && bus.sequences();
        this.clock = clock;
        this.numbered = new NumberedPublisher(encode, fanOutHere);
        if (none || clustered || rules.dataDir() == null) {
            this.storageLog = null;
        } else {
            this.storageLog = StorageLog.in(rules.dataDir(), rules.fsync());
            load(encode, clock.getAsLong());
        }
        if (clustered) {
            bus.onSequenced(new FromTheCluster());
        }
    }

    private void load(Function<Message, ByteBuf> encode, long nowMillis) {
        long wallNow = System.currentTimeMillis();
        storageLog.load((kind, channel, epoch, position, wallMillis, message) -> {
                    StoredChannel stored = channels.computeIfAbsent(channel, name -> newChannel(name, epoch, nowMillis, true));
                    if (stored != null) {
                        stored.restore(kind, position, nowMillis - (wallNow - wallMillis), new SharedDelivery(Unpooled.wrappedBuffer(message)),
                                dataOf(message), data -> encode.apply(new Message().channel(channel).data(data)));
                    }
                },
                new StorageLog.Compaction() {
                    @Override
                    public java.util.Collection<String> channels() {
                        return List.copyOf(channels.keySet());
                    }

                    @Override
                    public void write(String channel, StorageLog.EntryWriter writer) {
                        StoredChannel stored = channels.get(channel);
                        if (stored == null) {
                            writer.channelDone(channel);
                        } else {
                            stored.compactInto(writer, clock.getAsLong(), System.currentTimeMillis());
                        }
                    }
                });
    }

    /** Numbered publications and kept records from the cluster bus, on its thread. */
    private final class FromTheCluster implements ClusterBus.Sequenced {
        private final BayeuxDecoder decoder = new BayeuxDecoder();

        @Override
        public void publication(long position, String epoch, byte[] publication) {
            List<Message> decoded;
            try {
                decoded = decoder.decode(publication, 0, publication.length);
            } catch (RuntimeException e) {
                log.warn("Ignored a numbered publication from the cluster that does not decode: {}", e.getMessage());
                return;
            }
            if (decoded.size() != 1 || decoded.get(0).channel() == null || decoded.get(0).data() == null) {
                return;
            }
            Message message = decoded.get(0);
            for (;;) {
                StoredChannel stored = lookUp(message.channel(), clock.getAsLong());
                if (stored == null) {
                    // Not kept here (the channel cap): still delivered to this node's subscribers.
                    numbered.fanOutEncoded(message);
                    return;
                }
                if (stored.publishNumbered(message, position, epoch, clock.getAsLong(), numbered.forChannel(message.channel()))) {
                    return;
                }
            }
        }

        @Override
        public void record(String channel, String epoch, long position, byte[] record) {
            StoredChannel stored = lookUp(channel, clock.getAsLong());
            if (stored != null) {
                stored.restoreRecord(epoch, position, JsonValue.ofTrustedBytes(record), numbered.forChannel(channel));
            }
        }
    }

    /** Encodes numbered publications and hands them to this node's subscribers only. */
    private static final class NumberedPublisher {
        private final Function<Message, ByteBuf> encode;
        private final BiConsumer<String, ByteBuf> fanOutHere;

        NumberedPublisher(Function<Message, ByteBuf> encode, BiConsumer<String, ByteBuf> fanOutHere) {
            this.encode = encode;
            this.fanOutHere = fanOutHere;
        }

        StoredChannel.Publisher forChannel(String channel) {
            return new StoredChannel.Publisher() {
                @Override
                public ByteBuf encode(Message message) {
                    return encode.apply(message);
                }

                @Override
                public void fanOut(ByteBuf encoded) {
                    fanOutHere.accept(channel, encoded);
                }
            };
        }

        void fanOutEncoded(Message message) {
            ByteBuf encoded = encode.apply(message);
            try {
                fanOutHere.accept(message.channel(), encoded);
            } finally {
                encoded.release();
            }
        }
    }

    private static JsonValue dataOf(byte[] message) {
        try {
            JsonNode data = JSON.readTree(message).get("data");
            return data == null ? null : JsonValue.of(data);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Publishes {@code message} through its stored channel when a rule covers its channel (see
     * {@link StoredChannel#publish}).
     *
     * @return {@link #NOT_KEPT} when no rule covers the channel (the common case, one field read when
     * there are no rules at all) or the channel cap is reached: the caller publishes as usual; else a
     * Bayeux error for the publisher, or {@code null} when it was published
     */
    public String publish(Message message, long nowMillis, StoredChannel.Publisher publisher) {
        if (none) {
            return NOT_KEPT;
        }
        for (;;) {
            StoredChannel stored = lookUp(message.channel(), nowMillis);
            if (stored == null) {
                return NOT_KEPT;
            }
            String error = clustered ? stored.sequence(message, publisher, bus) : stored.publish(message, nowMillis, publisher);
            if (!GONE.equals(error)) {
                return error;
            }
        }
    }

    /**
     * Subscribes {@code session} to {@code channel}: through its stored channel when a rule covers it
     * (see {@link StoredChannel#subscribe}), else by calling {@code subscribe} alone. Patterns keep
     * nothing.
     *
     * @param subscribe joins the index, exactly once; returns whether the session was not subscribed already
     * @return the subscribe reply's {@code ext}, or null
     */
    public JsonValue subscribe(String channel, Session session, JsonValue requestExt, BooleanSupplier subscribe,
                               int replayLimit, long nowMillis) {
        if (none || !ChannelName.isValidName(channel)) {
            subscribe.getAsBoolean();
            return null;
        }
        for (;;) {
            StoredChannel stored = lookUp(channel, nowMillis);
            if (stored == null) {
                subscribe.getAsBoolean();
                return null;
            }
            StoredChannel.Subscribed done = stored.subscribe(session, requestExt, subscribe, replayLimit, nowMillis);
            if (done != null) {
                if (done.recovered() != null) {
                    (done.recovered() ? recovered : notRecovered).increment();
                }
                return done.replyExt();
            }
        }
    }

    private StoredChannel lookUp(String channel, long nowMillis) {
        StoredChannel stored = channels.get(channel);
        return stored != null ? stored : create(channel, nowMillis);
    }

    private StoredChannel create(String channel, long nowMillis) {
        if (ChannelName.isService(channel)) {
            return null;   // /service/** is request and answer between a client and the server: nothing to keep
        }
        StorageRules.HistoryRule historyRule = rules.historyFor(channel);
        boolean state = rules.isState(channel);
        if (historyRule == null && !state) {
            return null;
        }
        if (channels.size() >= rules.maxChannels()) {
            notKept.increment();
            if (fullLogged.compareAndSet(false, true)) {
                log.warn("{} channels are kept, the most --max-stored-channels allows: {} and further new channels "
                        + "are delivered but not kept", channels.size(), channel);
            }
            return null;
        }
        return channels.computeIfAbsent(channel, name -> newChannel(name, newEpoch(), nowMillis, false));
    }

    /** A stored channel as the rules say now; null when a channel read back from the log is no longer covered. */
    private StoredChannel newChannel(String name, String epoch, long nowMillis, boolean restoring) {
        StorageRules.HistoryRule historyRule = rules.historyFor(name);
        boolean state = rules.isState(name);
        if (restoring && (ChannelName.isService(name) || (historyRule == null && !state))) {
            return null;
        }
        return new StoredChannel(name, epoch,
                historyRule == null ? null : new History(historyRule.maxMessages(), historyRule.maxAgeMillis()),
                state ? new Records(name, rules.maxRecordsPerChannel(), rules.maxRecordBytes()) : null, storageLog, clustered, nowMillis);
    }

    /**
     * Lets go of history past its age and removes channels with nothing left to keep that were not used
     * for {@code idleMillis} and that no one subscribes to. Call periodically, off the event loops'
     * critical path.
     *
     * <p>Why not remove a subscribed one: its next message would start a new epoch at position 1, and
     * every subscriber would take it for lost history (a reset) though it missed nothing. A subscribe
     * racing with this check marks the channel used, under its lock, and {@link StoredChannel#removeIfIdle}
     * then keeps it.
     *
     * @param subscribed whether anyone subscribes to a channel, by name or pattern; called outside any lock
     */
    public void expire(long nowMillis, long idleMillis, Predicate<String> subscribed) {
        if (none) {
            return;
        }
        channels.forEach((name, stored) -> {
            if (stored.expire(nowMillis, idleMillis) && !subscribed.test(name)
                    && stored.removeIfIdle(nowMillis, idleMillis)) {
                channels.remove(name, stored);
                stored.release();
            }
        });
    }

    public int channelCount() {
        return channels.size();
    }

    /** Messages held in all histories now. */
    public long historyMessages() {
        long n = 0;
        for (StoredChannel c : channels.values()) {
            n += c.historySize();
        }
        return n;
    }

    /** Records held in all storage channels now. */
    public long records() {
        long n = 0;
        for (StoredChannel c : channels.values()) {
            n += c.recordCount();
        }
        return n;
    }

    /** Publications to channels a rule covers that were not kept because the channel cap was reached. */
    public long notKept() {
        return notKept.sum();
    }

    /** Subscribes whose recovery was served. */
    public long recovered() {
        return recovered.sum();
    }

    /** Subscribes whose recovery could not be served (history gone, or a new epoch). */
    public long notRecovered() {
        return notRecovered.sum();
    }

    @Override
    public void close() {
        channels.forEach((name, stored) -> {
            channels.remove(name, stored);
            stored.release();
        });
        if (storageLog != null) {
            storageLog.close();
        }
    }

    private static String newEpoch() {
        char[] c = new char[10];
        for (int i = 0; i < c.length; i++) {
            c[i] = EPOCH_CHARS[RANDOM.nextInt(EPOCH_CHARS.length)];
        }
        return new String(c);
    }
}
