package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Brokers in this process, each one node of a cluster on one real {@code redis-server}, with the
 * interop suite's token extension: what the cluster interop tests run the Faye suite against.
 */
final class RedisBrokers implements AutoCloseable {
    private final RedisServerProcess redis;
    final List<BrokerServer> nodes = new ArrayList<>();

    private RedisBrokers(RedisServerProcess redis) {
        this.redis = redis;
    }

    /** The HTTP API's key on every node. */
    static final String API_KEY = "interop-cluster-api-key-0123456789";

    /**
     * Starts Redis and {@code count} nodes whose connects are held for {@code timeoutMs}, each with the
     * HTTP API on a management port of its own.
     */
    static RedisBrokers start(int count, long timeoutMs) throws Exception {
        return start(count, BrokerConfig.builder().timeoutMs(timeoutMs).build());
    }

    /** Starts Redis and {@code count} nodes with {@code config}. */
    static RedisBrokers start(int count, BrokerConfig config) throws Exception {
        RedisBrokers cluster = new RedisBrokers(RedisServerProcess.start());
        try {
            for (int i = 0; i < count; i++) {
                BrokerServer node = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                        .managementHost("127.0.0.1").managementPort(0).apiKey(API_KEY)
                        .broker(config).build(),
                        new RedisBus(cluster.redis.url(), "bayeuxd:", 100_000)).start();
                node.addExtension(new TokenExtension());
                cluster.nodes.add(node);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    static String url(BrokerServer node) {
        return "http://127.0.0.1:" + node.port() + "/";
    }

    /** The node's management URL, where its HTTP API is. */
    static String apiUrl(BrokerServer node) {
        return "http://127.0.0.1:" + node.managementPort() + "/";
    }

    @Override
    public void close() throws InterruptedException {
        nodes.forEach(BrokerServer::close);
        redis.close();
    }
}
