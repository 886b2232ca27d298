package io.bayeuxd.engine.redis;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The connections of a {@link RedisBus}: one that sends publications (in batches on a standalone Redis), one for every other
 * command (subscribes answered, messages to nodes, stored channels), and one that listens. A standalone Redis
 * (or Sentinel) uses classic pub/sub ({@link StandaloneLinks}); a Redis Cluster uses sharded pub/sub, so
 * each channel lives on one shard ({@link ClusterLinks}).
 */
interface RedisLinks extends AutoCloseable {
    /**
     * Connects both links, and listens on {@code listenFirst} before returning; throws when Redis cannot
     * be reached. Messages go to {@code onMessage} (channel, message), possibly from several threads.
     */
    void open(BiConsumer<String, byte[]> onMessage, String... listenFirst);

    /** Listens on {@code channels}; completes once Redis has confirmed it (or failed to). */
    CompletionStage<?> listen(String... channels);

    void unlisten(String channel);

    /** Publishes one publication's frame to each of its Redis channels; completes with how many listened. */
    CompletionStage<Long> publishToAll(ChannelExpansions.Expansion to, byte[] frame);

    /** Publishes {@code message} to one channel; completes with how many listened. */
    CompletionStage<Long> publish(String channel, byte[] message);

    /** Whether both links are connected now. */
    boolean isOpen();

    /** Where it connects, for log lines: never with a password. */
    String describe();

    @Override
    void close();
}
