package io.bayeuxd.server;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.transport.TransportConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.group.ChannelGroup;

/**
 * Opens the package-private {@link BrokerChannelInitializer} to tests of other packages, so that they run
 * the pipeline every accepted connection gets, not a copy of it. Plain text, {@code /metrics} on the
 * traffic port: {@link BrokerServer} without TLS and without a management port.
 */
public final class ProductionPipeline {
    private ProductionPipeline() {
    }

    /** The initializer {@link BrokerServer} gives its listening socket, built from the same parts. */
    public static ChannelHandler initializer(TransportConfig config, Broker broker, BayeuxDecoder decoder, BrokerMetrics metrics,
                                             Readiness readiness, ChannelGroup channels, ConnectionLimiter limiter) {
        return new BrokerChannelInitializer(config, broker, decoder, metrics, readiness, channels, limiter, null, true);
    }
}
