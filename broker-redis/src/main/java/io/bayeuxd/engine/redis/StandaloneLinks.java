package io.bayeuxd.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A standalone Redis (or one found through Sentinel), with classic pub/sub. A publication is one
 * {@code EVAL} whose script publishes the frame to every channel: the frame crosses to Redis once, and a
 * node listening on several of those channels receives the copies one right after the other.
 */
final class StandaloneLinks extends LettuceLinks {
    /** ARGV[1] is the frame, ARGV[2..] the Redis channels it goes to; returns how many listeners it reached. */
    private static final String PUBLISH_SCRIPT =
            "local n = 0 for i = 2, #ARGV do n = n + redis.call('PUBLISH', ARGV[i], ARGV[1]) end return n";
    private static final String[] NO_KEYS = new String[0];

    private final RedisURI uri;
    private final RedisClient publishClient;
    private final RedisClient listenClient;
    private final LongAdder flushes;
    private StatefulRedisConnection<String, byte[]> publishLink;
    private StatefulRedisConnection<String, byte[]> framesLink;
    private CoalescedFlush framesFlush;
    private StatefulRedisPubSubConnection<String, byte[]> listenLink;

    /** @param flushes counts the writes of batched publications */
    StandaloneLinks(RedisURI uri, ClientResources resources, LongAdder flushes) {
        // Publishes are refused at once while the link is down: nothing piles up behind it.
        // (Un)subscribes wait for the link and are bounded by the number of patterns in use.
        this(uri, client(uri, resources, ClientOptions.DisconnectedBehavior.REJECT_COMMANDS),
                client(uri, resources, ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS), flushes);
    }

    private StandaloneLinks(RedisURI uri, RedisClient publishClient, RedisClient listenClient, LongAdder flushes) {
        super(publishClient, listenClient);
        this.uri = uri;
        this.flushes = flushes;
        this.publishClient = publishClient;
        this.listenClient = listenClient;
    }

    private static RedisClient client(RedisURI uri, ClientResources resources, ClientOptions.DisconnectedBehavior whenDown) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true).disconnectedBehavior(whenDown)
                .requestQueueSize(100_000).build());
        return client;
    }

    @Override
    public void open(BiConsumer<String, byte[]> onMessage, String... listenFirst) {
        listenLink = listenClient.connectPubSub(RedisBus.CODEC);
        listenLink.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage.accept(channel, message);
            }
        });
        listenLink.sync().subscribe(listenFirst);
        publishLink = publishClient.connect(RedisBus.CODEC);
        framesLink = publishClient.connect(RedisBus.CODEC);
        framesFlush = new CoalescedFlush(framesLink, flushes);
    }

    @Override
    public CompletionStage<?> listen(String... channels) {
        return listenLink.async().subscribe(channels);
    }

    @Override
    public void unlisten(String channel) {
        listenLink.async().unsubscribe(channel);
    }

    @Override
    public CompletionStage<Long> publishToAll(ChannelExpansions.Expansion to, byte[] frame) {
        byte[][] channels = to.redisChannels();
        byte[][] args = new byte[channels.length + 1][];
        args[0] = frame;
        System.arraycopy(channels, 0, args, 1, channels.length);
        CompletionStage<Long> sent = framesLink.async().eval(PUBLISH_SCRIPT, ScriptOutputType.INTEGER, NO_KEYS, args);
        framesFlush.written();
        return sent;
    }

    /** The publishing connection, for the commands that keep stored channels in Redis. */
    StatefulRedisConnection<String, byte[]> commands() {
        return publishLink;
    }

    @Override
    public CompletionStage<Long> publish(String channel, byte[] message) {
        return publishLink.async().publish(channel, message);
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
        return "Redis at " + uri.getHost() + ":" + uri.getPort();
    }

}
