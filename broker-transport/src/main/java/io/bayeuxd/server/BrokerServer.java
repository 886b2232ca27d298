package io.bayeuxd.server;

import io.bayeuxd.api.Extension;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The running broker: a Netty server (native epoll where available, NIO otherwise) in front of a
 * {@link Broker} with the in-memory engine, plus the session sweeper.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

    private final ServerConfig config;
    private final Engine engine;
    private final Broker broker;
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelClass;
    private Channel serverChannel;
    private ScheduledFuture<?> sweeper;

    public BrokerServer(ServerConfig config) {
        this.config = config;
        this.engine = new MemoryEngine(config.broker().outboxCapacity());
        this.broker = new Broker(config.broker(), engine, new BayeuxEncoder(), ByteBufAllocator.DEFAULT, System::nanoTime);
        IoHandlerFactory io;
        if (Epoll.isAvailable()) {
            io = EpollIoHandler.newFactory();
            channelClass = EpollServerSocketChannel.class;
        } else {
            io = NioIoHandler.newFactory();
            channelClass = NioServerSocketChannel.class;
        }
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
    }

    /** Binds and starts serving; returns once the port is open. */
    public BrokerServer start() throws InterruptedException {
        FrameWriter frames = new FrameWriter(new BayeuxEncoder(), config.broker().maxMessagesPerFrame());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new BrokerChannelInitializer(config.transport(), broker, decoder, frames));
        serverChannel = b.bind(config.host(), config.port()).sync().channel();
        sweeper = group.next().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        log.info("bayeuxd listening on http://{}:{}{} ({})", config.host(), port(), config.transport().mount(),
                Epoll.isAvailable() ? "epoll" : "nio");
        return this;
    }

    private void sweep() {
        try {
            broker.sweep();
        } catch (RuntimeException e) {
            log.error("Session sweep failed", e);
        }
    }

    /** The bound port (useful when configured with 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public Broker broker() {
        return broker;
    }

    public void addExtension(Extension extension) {
        broker.addExtension(extension);
    }

    /** An in-process client whose listeners run on one of the server's event loops. */
    public LocalClient newLocalClient() {
        return broker.newLocalClient(group.next(), decoder);
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        engine.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("bayeuxd stopped");
    }
}
