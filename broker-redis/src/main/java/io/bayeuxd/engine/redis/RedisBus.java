package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.engine.ClusterBusStats;
import io.bayeuxd.protocol.SharedDelivery;
import io.bayeuxd.session.ClientIdGenerator;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publications cross nodes through Redis pub/sub. A node listens on one Redis channel per Bayeux channel
 * or pattern its sessions subscribe to ({@code <prefix><pattern>}); a publication's frame goes to the
 * Redis channel of the Bayeux channel and of each pattern that matches it ({@link ChannelExpansions}):
 * one {@code EVAL} on a standalone Redis, one {@code SPUBLISH} per channel on a Cluster
 * ({@link RedisLinks}). Redis delivers it only to nodes listening there.
 *
 * <p>Exactly once per node: a node that listens on two matching patterns receives the frame twice; it
 * delivers the first copy and drops the others ({@link RecentFrames}, by origin and sequence). A node
 * skips its own publications: its local subscribers had them from the local fan-out. Order per
 * publisher: one publisher's publications are sent in order on one connection, Redis keeps that order
 * per channel, and the first copy of each arrives in that order.
 *
 * <p>Never blocks and never buffers without bound: while Redis is unreachable, or with
 * {@code maxInFlight} publishes unanswered, a publication is counted as undelivered to other nodes and
 * dropped, and {@link #isHealthy} is false (so {@code /readyz} answers 503). Lettuce reconnects by
 * itself; the node then listens again on every channel its sessions hold.
 */
public final class RedisBus implements ClusterBus {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String CLUSTER_SCHEME = "redis-cluster://";

    static {
        // Where both epoll and io_uring are there, Lettuce takes epoll, as the node's event loops do, and
        // logs a warning saying so for every connection it opens. A setting of the user's own stands.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
    }

    private final int maxInFlight;
    private final long origin = ThreadLocalRandom.current().nextLong();
    private final String nodeToken = ClientIdGenerator.newNodeToken();
    /** Where other nodes send this one requests and replies for the sessions it holds. */
    private final String nodeChannel;
    /** Where a node sends what every node is asked (the HTTP API's cluster-wide questions). */
    private final String allNodesChannel;
    private final byte[] nodeTokenUtf8;
    private final String prefix;
    private final List<Consumer<byte[]>> nodeMessages = new CopyOnWriteArrayList<>();
    /**
     * Patterns whose SUBSCRIBE Redis has not confirmed yet, with what completes when it has: a
     * subscribe reply waits for it, so that a publication another node makes after the reply reaches it.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ChannelExpansions expansions;
    private final SubscriptionCounts counts = new SubscriptionCounts();
    private final BusStats stats = new BusStats();
    private final ClientResources resources;
    private final RedisLinks links;
    private final ScheduledExecutorService monitor;
    /** Copies of one frame arrive through each matching channel: delivered once, in arrival order. */
    private final RecentFrames recent = new RecentFrames();
    private volatile RemotePublications sink;
    private final RedisStoredChannels stored;
    /** Where numbered publications of stored channels go; guarded by this. */
    private Sequenced numberedSink;
    /** Numbered publications that came while what Redis keeps was read back; guarded by this. */
    private List<byte[]> waitingNumbered;
    private volatile boolean healthy;
    private long downSinceNanos;
    private long undeliveredWhenDown;

    /**
     * @param redisUrl    a Lettuce URL: {@code redis://}, {@code rediss://} or {@code redis-sentinel://}; or
     *                    {@code redis-cluster://HOST:PORT[,HOST:PORT...]} for a Redis Cluster (seed nodes)
     * @param prefix      put before every Redis channel name, so several clusters can share one Redis
     * @param maxInFlight publishes sent and not yet answered before further ones are dropped
     */
    public RedisBus(String redisUrl, String prefix, int maxInFlight) {
        this.maxInFlight = maxInFlight;
        this.expansions = new ChannelExpansions(prefix);
        this.prefix = prefix;
        this.nodeChannel = nodeChannel(prefix, nodeToken);
        this.allNodesChannel = prefix + "nodes";
        this.nodeTokenUtf8 = nodeToken.getBytes(StandardCharsets.UTF_8);
        this.stored = new RedisStoredChannels(prefix);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        this.links = redisUrl.regionMatches(true, 0, CLUSTER_SCHEME, 0, CLUSTER_SCHEME.length())
                ? new ClusterLinks(seeds(redisUrl.substring(CLUSTER_SCHEME.length())), resources, stats.flushes)
                : new StandaloneLinks(RedisURI.create(redisUrl), resources, stats.flushes);
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayeuxd-redis-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code host:port,host:port}, each a seed node of the Cluster. */
    private static List<RedisURI> seeds(String hosts) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.isBlank()) {
                seeds.add(RedisURI.create("redis://" + host.strip()));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a redis-cluster:// URL names at least one host:port");
        }
        return seeds;
    }

    /** Connects to Redis; throws when it cannot be reached now (a node does not start without its bus). */
    @Override
    public void start(RemotePublications sink) {
        this.sink = sink;
        try {
            connect();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException(links.describe() + " cannot be reached: " + e.getMessage(), e);
        }
        healthy = true;
        monitor.scheduleWithFixedDelay(this::checkLinks, 200, 200, TimeUnit.MILLISECONDS);
        log.info("Cluster bus on {} (node {})", links.describe(), nodeToken);
    }

    private void connect() {
        links.open((channel, message) -> {
            if (channel.equals(nodeChannel)) {
                stats.commands.increment();
                toReceivers(message);
            } else if (channel.equals(allNodesChannel)) {
                onAllNodesMessage(message);
            } else if (channel.equals(stored.redisChannel())) {
                onNumbered(message);
            } else {
                onFrame(message);
            }
        }, ownChannels().toArray(String[]::new));
    }

    /** The Redis channels a node listens on whatever its sessions subscribe to. */
    private List<String> ownChannels() {
        List<String> channels = new ArrayList<>(List.of(nodeChannel, allNodesChannel));
        if (sequences()) {
            channels.add(stored.redisChannel());
        }
        return channels;
    }

    /** Stored channels are numbered in Redis on a standalone Redis (or Sentinel); not yet on a Cluster. */
    @Override
    public boolean sequences() {
        return links instanceof StandaloneLinks;
    }

    @Override
    public CompletionStage<Boolean> sequence(String channel, byte[] publication, String newEpoch, int keep,
                                             String recordId, byte[] record) {
        if (!healthy || !(links instanceof StandaloneLinks standalone)) {
            stats.undelivered.increment();
            return CompletableFuture.completedFuture(false);
        }
        stats.commands.increment();
        long start = System.nanoTime();
        return stored.number(standalone.commands(), channel, publication, newEpoch, keep, recordId, record)
                .handle((position, error) -> {
                    if (error != null) {
                        stats.undelivered.increment();
                        log.debug("Numbering a publication of {} failed: {}", channel, error.getMessage());
                        return false;
                    }
                    stats.sent.increment();
                    stats.sentBytes.add(publication.length);
                    stats.roundTrips.accept(System.nanoTime() - start);
                    return true;
                });
    }

    /**
     * Installs the receiver of numbered publications and reads back what Redis keeps first. Publications
     * numbered meanwhile wait, and are handed over after it; those read back already are skipped by
     * position.
     */
    @Override
    public void onSequenced(Sequenced sink) {
        if (!(links instanceof StandaloneLinks standalone)) {
            return;
        }
        synchronized (this) {
            numberedSink = sink;
            waitingNumbered = new java.util.ArrayList<>();
        }
        stored.readBack(standalone.commands(), sink);
        synchronized (this) {
            List<byte[]> waiting = waitingNumbered;
            waitingNumbered = null;
            for (byte[] numbered : waiting) {
                RedisStoredChannels.deliver(numbered, sink);
            }
        }
    }

    /** On the listening link's thread. */
    private synchronized void onNumbered(byte[] numbered) {
        if (numberedSink == null) {
            return;   // nothing stored here yet: what this misses, the read-back at installation has
        }
        stats.received.increment();
        stats.receivedBytes.add(numbered.length);
        if (waitingNumbered != null) {
            waitingNumbered.add(numbered);
        } else if (!RedisStoredChannels.deliver(numbered, numberedSink)) {
            log.debug("Ignored a numbered publication that does not parse ({} bytes)", numbered.length);
        }
    }

    @Override
    public void subscribed(String channelOrPattern) {
        counts.increment(channelOrPattern, p -> {
            stats.commands.increment();
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            // In the map before Redis can answer, so that the answer always finds it to remove.
            unconfirmed.put(p, confirmed);
            links.listen(expansions.redisChannel(p)).whenComplete((ok, error) -> {
                unconfirmed.remove(p, confirmed);
                // A failed SUBSCRIBE (Redis gone meanwhile) ends the wait too: the reply then says no more
                // than that the local subscription is made, as it does while Redis is down.
                confirmed.complete(null);
            });
        });
    }

    @Override
    public CompletionStage<?> listening(String channelOrPattern) {
        // While Redis is down nothing is confirmed in time: the subscription is local until it is back.
        return healthy ? unconfirmed.get(channelOrPattern) : null;
    }

    @Override
    public void unsubscribed(String channelOrPattern) {
        counts.decrement(channelOrPattern, p -> {
            stats.commands.increment();
            links.unlisten(expansions.redisChannel(p));
        });
    }

    @Override
    public void publish(String channel, ByteBuf payload) {
        if (!healthy || inFlight.get() >= maxInFlight) {
            stats.undelivered.increment();
            return;
        }
        ChannelExpansions.Expansion to = expansions.of(channel);
        byte[] frame = BusFrame.encode(origin, sequence.getAndIncrement(), to.channelUtf8(), payload);
        inFlight.incrementAndGet();
        stats.commands.increment();
        long start = System.nanoTime();
        links.publishToAll(to, frame).whenComplete((listeners, error) -> {
            inFlight.decrementAndGet();
            if (error != null) {
                stats.undelivered.increment();
            } else {
                stats.sent.increment();
                stats.sentBytes.add(frame.length);
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
        return links.publish(target, message).handle((listeners, error) -> error == null && listeners != null && listeners > 0);
    }

    @Override
    public void onNodeMessage(Consumer<byte[]> handler) {
        nodeMessages.add(handler);
    }

    /**
     * Publishes {@code message} on the channel every node listens on, after this node's token, by which
     * this node knows its own copy; Redis' count of listeners includes this node.
     */
    @Override
    public CompletionStage<Integer> sendToAllNodes(byte[] message) {
        if (!healthy) {
            return CompletableFuture.completedFuture(0);
        }
        stats.commands.increment();
        byte[] framed = new byte[nodeTokenUtf8.length + message.length];
        System.arraycopy(nodeTokenUtf8, 0, framed, 0, nodeTokenUtf8.length);
        System.arraycopy(message, 0, framed, nodeTokenUtf8.length, message.length);
        return links.publish(allNodesChannel, framed)
                .handle((listeners, error) -> error != null || listeners == null ? 0 : (int) Math.max(0, listeners - 1));
    }

    /** A message to every node: dropped when it is this node's own, else handed on without the sender's token. */
    private void onAllNodesMessage(byte[] framed) {
        int n = nodeTokenUtf8.length;
        if (framed.length < n || Arrays.equals(framed, 0, n, nodeTokenUtf8, 0, n)) {
            return;
        }
        stats.commands.increment();
        toReceivers(Arrays.copyOfRange(framed, n, framed.length));
    }

    private void toReceivers(byte[] message) {
        for (Consumer<byte[]> receiver : nodeMessages) {
            receiver.accept(message);
        }
    }

    /** On a listening link's thread; under a lock, since a Cluster's shards each have their own. */
    private synchronized void onFrame(byte[] frame) {
        if (!BusFrame.isReadable(frame)) {
            log.debug("Ignored a frame on the bus that is not ours ({} bytes)", frame.length);
            return;
        }
        long from = BusFrame.origin(frame);
        long seq = BusFrame.sequence(frame);
        if (recent.seenBefore(from, seq)) {
            return;   // another matching channel's copy of a frame delivered already
        }
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
        // Shared by every local subscriber, as a local publication is: a compressed copy is kept beside it too.
        ByteBuf payload = new SharedDelivery(Unpooled.wrappedBuffer(frame).readerIndex(at));
        try {
            stats.deliveries.add(sink.deliver(channel, payload));
        } finally {
            payload.release();
        }
    }

    private void checkLinks() {
        try {
            boolean up = links.isOpen();
            if (up == healthy) {
                return;
            }
            healthy = up;
            if (!up) {
                downSinceNanos = System.nanoTime();
                undeliveredWhenDown = stats.undelivered.sum();
                log.warn("{} is unreachable: this node's publications do not reach other nodes until it is back", links.describe());
            } else {
                stats.reconnects.increment();
                relisten();
                log.warn("{} is reachable again after {} ms; {} publications of this node did not reach other nodes meanwhile",
                        links.describe(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos),
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
        List<String> channels = ownChannels();
        List<String> patterns = counts.patterns();
        patterns.forEach(p -> channels.add(expansions.redisChannel(p)));
        stats.commands.increment();
        links.listen(channels.toArray(String[]::new)).whenComplete((ok, error) -> {
            // A SUBSCRIBE sent while the link was down may never be answered on its own: this one
            // covers its pattern, so whatever waits for it need not wait any longer.
            for (String p : patterns) {
                CompletableFuture<Void> waiting = unconfirmed.remove(p);
                if (waiting != null) {
                    waiting.complete(null);
                }
            }
        });
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
        links.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    static void closeQuietly(AutoCloseable link) {
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
