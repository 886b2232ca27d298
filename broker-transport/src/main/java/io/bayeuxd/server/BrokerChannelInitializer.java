package io.bayeuxd.server;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.transport.websocket.DeflatedFrames;
import io.bayeuxd.ops.OpsHttpHandler;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.http.BayeuxHttpHandler;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.bayeuxd.transport.websocket.BayeuxWebSocketHandler;
import io.bayeuxd.transport.websocket.WebSocketUpgradeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of every accepted connection: the connection caps, the idle-connection closer, TLS when
 * configured, a byte and connection meter, HTTP codec, body aggregation
 * up to the size limit (larger bodies get 413 before they are buffered), the operations endpoints
 * ({@code /metrics}, {@code /healthz}, {@code /readyz}), the WebSocket upgrade, and the polling endpoint.
 * Every connection joins the server's channel group, which the drain walks.
 *
 * <p>Typed for any {@link Channel}, not only sockets, so that tests install this very pipeline on an
 * {@code EmbeddedChannel} instead of a copy of it; nothing here needs more than a {@code Channel}.
 */
final class BrokerChannelInitializer extends ChannelInitializer<Channel> {
    private final TransportConfig config;
    private final Broker broker;
    private final BayeuxDecoder decoder;
    private final BrokerMetrics metrics;
    private final Readiness readiness;
    private final ChannelGroup channels;
    private final FrameWriter webSocketFrames;
    private final DeflatedFrames deflatedFrames = new DeflatedFrames();
    private final PollingResponder responder;
    private final ConnectionLimiter limiter;
    private final SslContext tls;
    private final boolean serveMetrics;

    /** @param serveMetrics false when a management port serves {@code /metrics} instead */
    BrokerChannelInitializer(TransportConfig config, Broker broker, BayeuxDecoder decoder, BrokerMetrics metrics,
                             Readiness readiness, ChannelGroup channels, ConnectionLimiter limiter, SslContext tls,
                             boolean serveMetrics) {
        this.serveMetrics = serveMetrics;
        this.limiter = limiter;
        this.tls = tls;
        this.config = config;
        this.broker = broker;
        this.decoder = decoder;
        this.metrics = metrics;
        this.readiness = readiness;
        this.channels = channels;
        int maxMessagesPerFrame = broker.config().maxMessagesPerFrame();
        this.webSocketFrames = new FrameWriter(new BayeuxEncoder(), maxMessagesPerFrame, metrics.webSocketRecorder());
        metrics.bindWebSocketCompression(deflatedFrames);
        this.responder = new PollingResponder(broker, new FrameWriter(new BayeuxEncoder(), maxMessagesPerFrame, metrics.httpRecorder()));
    }

    /** The polling endpoint's responder, shared by every connection. */
    PollingResponder responder() {
        return responder;
    }

    @Override
    protected void initChannel(Channel ch) {
        channels.add(ch);
        if (readiness.isDraining()) {
            // Accepted just before the listener closed; it has sent nothing we could lose.
            ch.close();
            return;
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("limiter", limiter);
        if (config.idleTimeoutMs() > 0) {
            p.addLast("idle", new IdleConnectionCloser(config.idleTimeoutMs()));
        }
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("meter", metrics.connections().newMeter());
        p.addLast("http-codec", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(config.maxMessageBytes()));
        p.addLast("ops", new OpsHttpHandler(readiness, metrics, config.maxPipelinedRequests(), serveMetrics));
        p.addLast("ws-upgrade", new WebSocketUpgradeHandler(config,
                () -> new BayeuxWebSocketHandler(broker, decoder, webSocketFrames, responder.forwarding()), deflatedFrames));
        p.addLast("bayeux-http", new BayeuxHttpHandler(config, decoder, responder));
    }
}
