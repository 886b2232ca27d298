package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code slowConsumers} {@link SlowConsumer}s alive while the load runs: each slot opens one,
 * and when it closes (its lifetime is over, or the broker cut it off) opens the next after
 * {@link #REOPEN_DELAY_MS}. Each slot lives on one event loop and is touched only there.
 */
final class SlowConsumerSlots {

    static final long REOPEN_DELAY_MS = 1_000;
    static final int UPGRADE_TIMEOUT_MS = 10_000;

    private final SoakContext soak;
    private final Class<? extends SocketChannel> channelClass;
    private final WebSocketClientProtocolConfig webSocketConfig;
    private final List<Slot> slots = new ArrayList<>();
    private volatile boolean running;

    SlowConsumerSlots(SoakContext soak, List<LoopContext> loops, Class<? extends SocketChannel> channelClass) {
        this.soak = soak;
        this.channelClass = channelClass;
        SoakConfig config = soak.config;
        this.webSocketConfig = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.server().webSocketUri())
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(64 * 1024 * 1024)
                .handshakeTimeoutMillis(UPGRADE_TIMEOUT_MS)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .generateOriginHeader(false)
                .build();
        for (int i = 0; i < config.slowConsumers(); i++) {
            slots.add(new Slot(loops.get(i % loops.size())));
        }
    }

    void start() {
        running = true;
        for (Slot slot : slots) {
            slot.loop.loop.execute(slot::open);
        }
    }

    /** Stops reopening and closes every slow consumer. */
    void stop() {
        running = false;
        for (Slot slot : slots) {
            slot.loop.loop.execute(slot::closeCurrent);
        }
    }

    private final class Slot {
        final LoopContext loop;
        SlowConsumer current;

        Slot(LoopContext loop) {
            this.loop = loop;
        }

        void open() {
            if (!running || current != null) {
                return;
            }
            boolean[] closed = {false};
            SlowConsumer consumer = new SlowConsumer(soak, loop.parser, () -> {
                if (!closed[0]) {
                    closed[0] = true;
                    onClosed();
                }
            });
            current = consumer;
            soak.stats.slowStarted.increment();
            soak.stats.slowAlive.incrementAndGet();
            new Bootstrap()
                    .group(loop.loop)
                    .channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_RCVBUF, soak.config.slowReceiveBufferBytes())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new HttpClientCodec());
                            p.addLast(new HttpObjectAggregator(64 * 1024));
                            p.addLast(new WebSocketClientProtocolHandler(webSocketConfig));
                            p.addLast(new WebSocketFrameAggregator(64 * 1024 * 1024));
                            p.addLast(consumer);
                        }
                    })
                    .connect(soak.config.server().host(), soak.config.server().port())
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            consumer.connectFailed(f.cause());
                        }
                    });
        }

        void onClosed() {
            current = null;
            soak.stats.slowAlive.decrementAndGet();
            if (running) {
                loop.loop.schedule(this::open, REOPEN_DELAY_MS, TimeUnit.MILLISECONDS);
            }
        }

        void closeCurrent() {
            if (current != null) {
                current.close();
            }
        }
    }
}
