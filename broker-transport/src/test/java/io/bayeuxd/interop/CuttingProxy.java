package io.bayeuxd.interop;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of a broker whose connections a test can cut all at once, as a
 * network that drops them would: {@link #cut()} closes both sides of every open connection, whatever
 * is in flight; {@link #loseNextResponseAndCut()} first throws away the next bytes the broker sends, so
 * that what the broker believes delivered never reaches the client. New connections are accepted as
 * before.
 */
final class CuttingProxy implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final int targetPort;
    /** Armed by {@link #loseNextResponseAndCut()}; completed by the broker's side when it has done so. */
    private final AtomicReference<CompletableFuture<Void>> loseNext = new AtomicReference<>();

    CuttingProxy(int targetPort) throws InterruptedException {
        this.targetPort = targetPort;
        this.listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                // Nothing is read from a client before its connection to the broker is up.
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        open.add(client);
                        client.pipeline().addLast(new Frontend());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Closes every connection open now, both sides, and waits until they are closed. */
    void cut() {
        open.close().awaitUninterruptibly();
    }

    /**
     * Throws away the next bytes the broker sends on any connection, then cuts every connection. The
     * future completes once that happened.
     */
    CompletableFuture<Void> loseNextResponseAndCut() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loseNext.set(done);
        return done;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        cut();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The client's side: opens the broker's side, then relays. */
    private final class Frontend extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Relay(client, true))
                    .connect("127.0.0.1", targetPort)
                    .addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            client.close();
                            return;
                        }
                        open.add(f.channel());
                        client.pipeline().addLast(new Relay(f.channel(), false));
                        client.config().setAutoRead(true);
                    });
        }
    }

    /** Writes what one side reads to the other; closes the other when this one closes. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;
        private final boolean fromBroker;

        Relay(Channel peer, boolean fromBroker) {
            this.peer = peer;
            this.fromBroker = fromBroker;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            CompletableFuture<Void> lose = fromBroker ? loseNext.getAndSet(null) : null;
            if (lose != null) {
                ReferenceCountUtil.release(msg);
                open.close().addListener(f -> lose.complete(null));
            } else if (peer.isActive()) {
                peer.writeAndFlush(msg);   // TAKES msg: Netty releases it once written or failed
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
