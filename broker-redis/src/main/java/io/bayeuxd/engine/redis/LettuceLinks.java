package io.bayeuxd.engine.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;

import java.time.Duration;

/** What both kinds of {@link RedisLinks} do alike with their two Lettuce clients and connections. */
abstract class LettuceLinks implements RedisLinks {
    private final AbstractRedisClient publishClient;
    private final AbstractRedisClient listenClient;

    LettuceLinks(AbstractRedisClient publishClient, AbstractRedisClient listenClient) {
        this.publishClient = publishClient;
        this.listenClient = listenClient;
    }

    /** The publishing connection, or {@code null} before {@link #open}. */
    abstract StatefulConnection<String, byte[]> publishConnection();

    /**
     * The connection publications go out on, in batches on a standalone Redis ({@link CoalescedFlush}), or {@code null} before
     * {@link #open}. Apart from the other commands' connection, so that a command waited for there is
     * never held back by a flush to come.
     */
    abstract StatefulConnection<String, byte[]> framesConnection();

    /** The listening connection, or {@code null} before {@link #open}. */
    abstract StatefulConnection<String, byte[]> listenConnection();

    @Override
    public boolean isOpen() {
        StatefulConnection<?, ?> publish = publishConnection();
        StatefulConnection<?, ?> frames = framesConnection();
        StatefulConnection<?, ?> listen = listenConnection();
        return publish != null && frames != null && listen != null
                && publish.isOpen() && frames.isOpen() && listen.isOpen();
    }

    @Override
    public void close() {
        RedisBus.closeQuietly(listenConnection());
        RedisBus.closeQuietly(framesConnection());
        RedisBus.closeQuietly(publishConnection());
        listenClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        publishClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
