package io.bayeuxd.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * A Redis Cluster, with sharded pub/sub ({@code SSUBSCRIBE}, {@code SPUBLISH}, Redis 7): each channel
 * lives on the shard that owns its slot, so publications spread over the shards instead of every shard
 * carrying every one. A publication is one {@code SPUBLISH} per channel it goes to (they live on
 * different shards); a node listening on several of them gets a copy from each, which the bus drops.
 */
final class ClusterLinks extends LettuceLinks {
    private final List<RedisURI> seeds;
    private final RedisClusterClient publishClient;
    private final RedisClusterClient listenClient;
    private final LongAdder flushes;
    private StatefulRedisClusterConnection<String, byte[]> publishLink;
    private StatefulRedisClusterConnection<String, byte[]> framesLink;
    private StatefulRedisClusterPubSubConnection<String, byte[]> listenLink;

    /** @param flushes counts the writes of publications: one per SPUBLISH here */
    ClusterLinks(List<RedisURI> seeds, ClientResources resources, LongAdder flushes) {
        // Both accept commands while a link is down: a Cluster connects to each shard on first use, and a
        // command refused then would be lost. What waits is bounded by requestQueueSize, and the bus sends
        // nothing while it is unhealthy.
        this(seeds, client(seeds, resources), client(seeds, resources), flushes);
    }

    private ClusterLinks(List<RedisURI> seeds, RedisClusterClient publishClient, RedisClusterClient listenClient,
                         LongAdder flushes) {
        super(publishClient, listenClient);
        this.seeds = seeds;
        this.flushes = flushes;
        this.publishClient = publishClient;
        this.listenClient = listenClient;
    }

    private static RedisClusterClient client(List<RedisURI> seeds, ClientResources resources) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).requestQueueSize(100_000)
                // Follow slot moves and failovers: a shard channel follows its slot.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30)).build())
                .build());
        return client;
    }

    @Override
    public void open(BiConsumer<String, byte[]> onMessage, String... listenFirst) {
        listenLink = listenClient.connectPubSub(RedisBus.CODEC);
        // Shard channels are subscribed on the connection of the shard that owns their slot: its
        // messages reach this listener only with propagation on.
        listenLink.setNodeMessagePropagation(true);
        listenLink.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, byte[] message) {
                onMessage.accept(channel, message);
            }
        });
        for (String channel : listenFirst) {
            listenLink.sync().ssubscribe(channel);
        }
        publishLink = publishClient.connect(RedisBus.CODEC);
        // Flushed by Lettuce after each command, not in batches (CoalescedFlush): a Cluster connection
        // opens its shard connections on first use, and a command Lettuce writes once such a connection
        // is up, after the flush that was meant for it, would wait for the next publication's flush.
        framesLink = publishClient.connect(RedisBus.CODEC);
    }

    @Override
    public CompletionStage<?> listen(String... channels) {
        if (channels.length == 1) {
            return listenLink.async().ssubscribe(channels);
        }
        // One SSUBSCRIBE names channels of one slot only (else CROSSSLOT): each is subscribed by itself.
        CompletableFuture<?>[] each = new CompletableFuture<?>[channels.length];
        for (int i = 0; i < channels.length; i++) {
            each[i] = listenLink.async().ssubscribe(channels[i]).toCompletableFuture();
        }
        return CompletableFuture.allOf(each);
    }

    @Override
    public void unlisten(String channel) {
        listenLink.async().sunsubscribe(channel);
    }

    @Override
    public CompletionStage<Long> publishToAll(ChannelExpansions.Expansion to, byte[] frame) {
        String[] channels = to.redisChannelNames();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[channels.length];
        for (int i = 0; i < channels.length; i++) {
            sent[i] = framesLink.async().spublish(channels[i], frame).toCompletableFuture();
        }
        flushes.add(channels.length);
        return CompletableFuture.allOf(sent).thenApply(done -> {
            long n = 0;
            for (CompletableFuture<?> f : sent) {
                n += (Long) f.join();
            }
            return n;
        });
    }

    @Override
    public CompletionStage<Long> publish(String channel, byte[] message) {
        return publishLink.async().spublish(channel, message);
    }


    @Override
    StatefulConnection<String, byte[]> publishConnection() {
        return publishLink;
    }

    @Override
    StatefulConnection<String, byte[]> framesConnection() {
        return framesLink;
    }

    @Override
    StatefulConnection<String, byte[]> listenConnection() {
        return listenLink;
    }

    @Override
    public String describe() {
        return "Redis Cluster at " + seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.joining(","));
    }

}
