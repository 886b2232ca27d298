package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.engine.ClusterBusStats;
import io.bayeuxd.session.ClientIdGenerator;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publications cross nodes through Redis pub/sub. A node listens on one Redis channel per Bayeux channel
 * or pattern its sessions subscribe to ({@code <prefix><pattern>}); a publication is sent once, as one
 * {@code EVAL} whose script publishes the frame to the Redis channel of the Bayeux channel and of each
 * pattern that matches it ({@link ChannelExpansions}). Redis delivers it only to nodes listening there.
 *
 * <p>Exactly once per node: a node that listens on two matching patterns receives the frame twice, and
 * since a script runs atomically, the copies arrive one right after the other on its pub/sub link; the
 * receiver drops a frame whose origin and sequence equal the previous one's. A node skips its own
 * publications: its local subscribers had them from the local fan-out. Order per publisher: one
 * publisher's publications are sent in order on one connection and Redis keeps that order.
 *
 * <p>Never blocks and never buffers without bound: while Redis is unreachable, or with
 * {@code maxInFlight} publishes unanswered, a publication is counted as undelivered to other nodes and
 * dropped, and {@link #isHealthy} is false (so {@code /readyz} answers 503). Lettuce reconnects by
 * itself; the node then listens again on every channel its sessions hold.
 */
public final class RedisBus implements ClusterBus {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** ARGV[1] is the frame, ARGV[2..] the Redis channels it goes to; returns how many nodes listened. */
    private static final String PUBLISH_SCRIPT =
            "local n = 0 for i = 2, #ARGV do n = n + redis.call('PUBLISH', ARGV[i], ARGV[1]) end return n";
    private static final String[] NO_KEYS = new String[0];

    private final RedisURI uri;
    private final int maxInFlight;
    private final long origin = ThreadLocalRandom.current().nextLong();
    private final String nodeToken = ClientIdGenerator.newNodeToken();
    /** Where other nodes send this one requests and replies for the sessions it holds. */
    private final String nodeChannel;
    private final String prefix;
    private volatile Consumer<byte[]> nodeMessages = message -> { };
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ChannelExpansions expansions;
    private final SubscriptionCounts counts = new SubscriptionCounts();
    private final BusStats stats = new BusStats();
    private final ClientResources resources;
    private final RedisClient publishClient;
    private final RedisClient listenClient;
    private final ScheduledExecutorService monitor;
    private StatefulRedisConnection<String, byte[]> publishLink;
    private StatefulRedisPubSubConnection<String, byte[]> listenLink;
    private volatile RemotePublications sink;
    private volatile boolean healthy;
    private long downSinceNanos;
    private long undeliveredWhenDown;
    // Written and read only on the pub/sub link's thread: the previous frame, to drop its copies.
    private long lastOrigin;
    private long lastSequence = -1;

    /**
     * @param redisUrl    a Lettuce URL: {@code redis://}, {@code rediss://} or {@code redis-sentinel://}
     * @param prefix      put before every Redis channel name, so several clusters can share one Redis
     * @param maxInFlight publishes sent and not yet answered before further ones are dropped
     */
    public RedisBus(String redisUrl, String prefix, int maxInFlight) {
        this.uri = RedisURI.create(redisUrl);
        this.maxInFlight = maxInFlight;
        this.expansions = new ChannelExpansions(prefix);
        this.prefix = prefix;
        this.nodeChannel = nodeChannel(prefix, nodeToken);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        // Publishes are refused at once while the link is down: nothing piles up behind it.
        this.publishClient = client(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        // (Un)subscribes wait for the link and are bounded by the number of patterns in use.
        this.listenClient = client(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayeuxd-redis-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    private RedisClient client(ClientOptions.DisconnectedBehavior whenDown) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true).disconnectedBehavior(whenDown)
                .requestQueueSize(100_000).build());
        return client;
    }

    /** Connects to Redis; throws when it cannot be reached now (a node does not start without its bus). */
    @Override
    public void start(RemotePublications sink) {
        this.sink = sink;
        try {
            connect();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("Redis at " + uri.getHost() + ":" + uri.getPort() + " cannot be reached: " + e.getMessage(), e);
        }
        healthy = true;
        monitor.scheduleWithFixedDelay(this::checkLinks, 200, 200, TimeUnit.MILLISECONDS);
        log.info("Cluster bus on Redis at {}:{} (node {})", uri.getHost(), uri.getPort(), nodeToken);
    }

    private void connect() {
        listenLink = listenClient.connectPubSub(CODEC);
        listenLink.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] frame) {
                if (channel.equals(nodeChannel)) {
                    stats.commands.increment();
                    nodeMessages.accept(frame);
                } else {
                    onFrame(frame);
                }
            }
        });
        // Before the node serves anyone: a request for one of its sessions may come from another node at once.
        listenLink.sync().subscribe(nodeChannel);
        publishLink = publishClient.connect(CODEC);
    }

    @Override
    public void subscribed(String channelOrPattern) {
        counts.increment(channelOrPattern, p -> {
            stats.commands.increment();
            listenLink.async().subscribe(expansions.redisChannel(p));
        });
    }

    @Override
    public void unsubscribed(String channelOrPattern) {
        counts.decrement(channelOrPattern, p -> {
            stats.commands.increment();
            listenLink.async().unsubscribe(expansions.redisChannel(p));
        });
    }

    @Override
    public void publish(String channel, ByteBuf payload) {
        if (!healthy || inFlight.get() >= maxInFlight) {
            stats.undelivered.increment();
            return;
        }
        byte[][] targets = expansions.of(channel);
        byte[][] args = new byte[targets.length + 1][];
        args[0] = BusFrame.encode(origin, sequence.getAndIncrement(), channel.getBytes(StandardCharsets.UTF_8), payload);
        System.arraycopy(targets, 0, args, 1, targets.length);
        inFlight.incrementAndGet();
        stats.commands.increment();
        long start = System.nanoTime();
        int bytes = args[0].length;
        publishLink.async().<Long>eval(PUBLISH_SCRIPT, ScriptOutputType.INTEGER, NO_KEYS, args).whenComplete((listeners, error) -> {
            inFlight.decrementAndGet();
            if (error != null) {
                stats.undelivered.increment();
            } else {
                stats.sent.increment();
                stats.sentBytes.add(bytes);
                stats.roundTrips.accept(System.nanoTime() - start);
            }
        });
    }

    private static String nodeChannel(String prefix, String token) {
        // Bayeux channel names start with '/', so no publication's Redis channel can be this one.
        return prefix + "node:" + token;
    }

    @Override
    public String nodeToken() {
        return nodeToken;
    }

    @Override
    public CompletionStage<Boolean> sendToNode(String token, byte[] message) {
        if (!healthy) {
            return CompletableFuture.completedFuture(false);
        }
        stats.commands.increment();
        String target = nodeChannel(prefix, token);
        return publishLink.async().publish(target, message).handle((listeners, error) -> error == null && listeners != null && listeners > 0);
    }

    @Override
    public void onNodeMessage(Consumer<byte[]> handler) {
        this.nodeMessages = handler;
    }

    /** On the pub/sub link's thread. */
    private void onFrame(byte[] frame) {
        if (!BusFrame.isReadable(frame)) {
            log.debug("Ignored a frame on the bus that is not ours ({} bytes)", frame.length);
            return;
        }
        long from = BusFrame.origin(frame);
        long seq = BusFrame.sequence(frame);
        if (from == lastOrigin && seq == lastSequence) {
            return;   // another matching pattern's copy of the frame just delivered
        }
        lastOrigin = from;
        lastSequence = seq;
        if (from == origin) {
            return;
        }
        stats.received.increment();
        stats.receivedBytes.add(frame.length);
        String channel = BusFrame.channel(frame);
        int at = BusFrame.payloadOffset(frame);
        // The 8 bytes before the delivery (inside the header, already read) carry its arrival time here,
        // where the frame writers read a delivery's publish time from.
        BusFrame.putLong(frame, at - Long.BYTES, System.nanoTime());
        ByteBuf payload = Unpooled.wrappedBuffer(frame).readerIndex(at);
        try {
            stats.deliveries.add(sink.deliver(channel, payload));
        } finally {
            payload.release();
        }
    }

    private void checkLinks() {
        try {
            boolean up = publishLink.isOpen() && listenLink.isOpen();
            if (up == healthy) {
                return;
            }
            healthy = up;
            if (!up) {
                downSinceNanos = System.nanoTime();
                undeliveredWhenDown = stats.undelivered.sum();
                log.warn("Redis at {}:{} is unreachable: this node's publications do not reach other nodes until it is back",
                        uri.getHost(), uri.getPort());
            } else {
                stats.reconnects.increment();
                relisten();
                log.warn("Redis at {}:{} is reachable again after {} ms; {} publications of this node did not reach other nodes meanwhile",
                        uri.getHost(), uri.getPort(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos),
                        stats.undelivered.sum() - undeliveredWhenDown);
            }
        } catch (RuntimeException e) {
            log.error("Checking the Redis links failed", e);
        }
    }

    /**
     * Listens again on every channel in use. Lettuce resubscribes what Redis had confirmed before the
     * link dropped; a subscribe sent while it was down may not have been, and subscribing twice is harmless.
     */
    private void relisten() {
        var channels = new java.util.ArrayList<String>();
        channels.add(nodeChannel);
        counts.patterns().forEach(p -> channels.add(expansions.redisChannel(p)));
        stats.commands.increment();
        listenLink.async().subscribe(channels.toArray(String[]::new));
    }

    @Override
    public boolean isHealthy() {
        return healthy;
    }

    @Override
    public ClusterBusStats stats() {
        return stats;
    }

    /** Redis channels this node listens on now. */
    public int listenedChannels() {
        return counts.size();
    }

    @Override
    public void close() {
        healthy = false;
        monitor.shutdownNow();
        closeQuietly(listenLink);
        closeQuietly(publishLink);
        listenClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        publishClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static void closeQuietly(AutoCloseable link) {
        if (link == null) {
            return;
        }
        try {
            link.close();
        } catch (Exception e) {
            log.debug("Closing a Redis link failed", e);
        }
    }
}
