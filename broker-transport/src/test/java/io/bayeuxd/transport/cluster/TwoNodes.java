package io.bayeuxd.transport.cluster;

import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;

/** Two brokers, A and B, each a node of one cluster on a real {@code redis-server} of its own. */
final class TwoNodes implements AutoCloseable {
    final RedisServerProcess redis;
    BrokerServer a;
    BrokerServer b;

    private TwoNodes(RedisServerProcess redis) {
        this.redis = redis;
    }

    /** Starts Redis, then both nodes with {@code config}. */
    static TwoNodes start(ServerConfig config) throws Exception {
        TwoNodes nodes = new TwoNodes(RedisServerProcess.start());
        try {
            nodes.a = nodes.node(config);
            nodes.b = nodes.node(config);
            return nodes;
        } catch (Exception | Error e) {
            nodes.close();
            throw e;
        }
    }

    private BrokerServer node(ServerConfig config) throws InterruptedException {
        return new BrokerServer(config, new RedisBus(redis.url(), "test:", 1_000)).start();
    }

    @Override
    public void close() throws InterruptedException {
        for (BrokerServer s : new BrokerServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        redis.close();
    }
}
