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

    /** The listening connection, or {@code null} before {@link #open}. */
    abstract StatefulConnection<String, byte[]> listenConnection();

    @Override
    public boolean isOpen() {
        StatefulConnection<?, ?> publish = publishConnection();
        StatefulConnection<?, ?> listen = listenConnection();
        return publish != null && listen != null && publish.isOpen() && listen.isOpen();
    }

    @Override
    public void close() {
        RedisBus.closeQuietly(listenConnection());
        RedisBus.closeQuietly(publishConnection());
        listenClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        publishClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
