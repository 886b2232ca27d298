package io.bayeuxd.server;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.http.BayeuxHttpHandler;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.bayeuxd.transport.websocket.BayeuxWebSocketHandler;
import io.bayeuxd.transport.websocket.WebSocketUpgradeHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of every accepted connection: HTTP codec, body aggregation up to the size limit (larger
 * bodies get 413 before they are buffered), the WebSocket upgrade, and the polling endpoint.
 */
final class BrokerChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final TransportConfig config;
    private final Broker broker;
    private final BayeuxDecoder decoder;
    private final FrameWriter frames;
    private final PollingResponder responder;

    BrokerChannelInitializer(TransportConfig config, Broker broker, BayeuxDecoder decoder, FrameWriter frames) {
        this.config = config;
        this.broker = broker;
        this.decoder = decoder;
        this.frames = frames;
        this.responder = new PollingResponder(broker, frames);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("http-codec", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(config.maxMessageBytes()));
        p.addLast("ws-upgrade", new WebSocketUpgradeHandler(config, () -> new BayeuxWebSocketHandler(broker, decoder, frames)));
        p.addLast("bayeux-http", new BayeuxHttpHandler(config, decoder, responder));
    }
}
