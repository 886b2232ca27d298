package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket test client on Netty, offering {@code permessage-deflate} through Netty's
 * {@link WebSocketClientCompressionHandler} when asked to, and counting what the server's frames carry on the
 * wire before any inflating: their payload bytes and how many had RSV1 (compressed) set.
 */
final class NettyWsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong compressedFramesReceived = new AtomicLong();
    /** Payload bytes of the server's data frames as they came off the wire (frame headers not counted). */
    final AtomicLong payloadBytesReceived = new AtomicLong();
    /** {@link #payloadBytesReceived} plus each frame's header as the server sent it (unmasked). */
    final AtomicLong wireBytesReceived = new AtomicLong();
    /** The payload of every text frame as it came off the wire, in order. */
    final List<byte[]> framesText = new CopyOnWriteArrayList<>();
    /** The status of the server's close frame. */
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    /** The {@code Sec-WebSocket-Extensions} of the server's {@code 101}, or null. */
    volatile String acceptedExtensions;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    NettyWsClient(URI uri, boolean offerDeflate) throws Exception {
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                null, true, EmptyHttpHeaders.INSTANCE, 1 << 20);
        CompletableFuture<Void> open = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                p.addLast(new HttpClientCodec());
                // Right behind where Netty's frame decoder takes the codec's place: sees frames as sent.
                p.addLast(new WireCounter());
                p.addLast(new HttpObjectAggregator(1 << 16));
                if (offerDeflate) {
                    p.addLast(new WebSocketClientCompressionHandler(1 << 20));
                }
                p.addLast(new Messages(handshaker, open));
            }
        }).connect(uri.getHost(), uri.getPort()).sync().channel();
        // Started on the channel's loop: its write listener, which puts the frame encoder in place of the
        // HTTP codec, then runs before the server's 101 can be read. Started from this thread, the listener
        // could be queued behind that read, find the codec already replaced, and fail the handshake.
        channel.eventLoop().submit(() -> handshaker.handshake(channel)).get(10, TimeUnit.SECONDS).sync();
        open.get(10, TimeUnit.SECONDS);
    }

    void send(String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json)).syncUninterruptibly();
    }

    /** Next message (one element of a received array), or fails after the timeout. */
    JsonNode next() throws InterruptedException {
        JsonNode m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    JsonNode nextOn(String channelName) throws InterruptedException {
        for (;;) {
            JsonNode m = next();
            if (channelName.equals(m.path("channel").asText())) {
                return m;
            }
        }
    }

    /** The next message on this channel that carries {@code data}: a delivery, not a publish's reply. */
    JsonNode nextDelivery(String channelName) throws InterruptedException {
        for (;;) {
            JsonNode m = nextOn(channelName);
            if (m.has("data")) {
                return m;
            }
        }
    }

    /** Handshakes, subscribes to {@code subscription} and sends the first connect; returns the client id. */
    String join(String subscription) throws InterruptedException {
        send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
        String clientId = nextOn("/meta/handshake").path("clientId").asText();
        send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId + "\",\"subscription\":\"" + subscription + "\"}]");
        if (!nextOn("/meta/subscribe").path("successful").asBoolean()) {
            throw new AssertionError("subscribe refused");
        }
        send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId + "\",\"connectionType\":\"websocket\"}]");
        return clientId;
    }

    /** Bytes of an unmasked frame header for this payload length (RFC 6455 5.2). */
    static int headerBytes(int payload) {
        return payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class WireCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                framesReceived.incrementAndGet();
                int payload = frame.content().readableBytes();
                payloadBytesReceived.addAndGet(payload);
                wireBytesReceived.addAndGet(payload + headerBytes(payload));
                framesText.add(ByteBufUtil.getBytes(frame.content()));
                if ((frame.rsv() & 0b100) != 0) {
                    compressedFramesReceived.incrementAndGet();
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Messages extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker handshaker;
        private final CompletableFuture<Void> open;

        Messages(WebSocketClientHandshaker handshaker, CompletableFuture<Void> open) {
            this.handshaker = handshaker;
            this.open = open;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                if (msg instanceof FullHttpResponse response && !handshaker.isHandshakeComplete()) {
                    acceptedExtensions = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                    handshaker.finishHandshake(ctx.channel(), response);
                    open.complete(null);
                } else if (msg instanceof TextWebSocketFrame text) {
                    JSON.readTree(text.text()).forEach(messages::add);
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closeStatus.complete(close.statusCode());
                } else if (msg instanceof WebSocketFrame) {
                    // Pings, pongs and the close: nothing to collect.
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            open.completeExceptionally(cause);
            ctx.close();
        }
    }
}
