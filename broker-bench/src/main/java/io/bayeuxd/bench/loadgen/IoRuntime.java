package io.bayeuxd.bench.loadgen;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator's few event-loop threads: epoll where the native transport loads, NIO otherwise.
 * Every connection is pinned to one loop, and so is the session that owns it.
 */
public final class IoRuntime implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final String name;
    private final List<EventLoop> loops = new ArrayList<>();

    public IoRuntime(int threads) {
        IoHandlerFactory handlerFactory;
        if (Epoll.isAvailable()) {
            handlerFactory = EpollIoHandler.newFactory();
            channelClass = EpollSocketChannel.class;
            name = "epoll";
        } else {
            handlerFactory = NioIoHandler.newFactory();
            channelClass = NioSocketChannel.class;
            name = "nio";
        }
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("loadgen-io", true), handlerFactory);
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
    }

    /** The loops, in a fixed order; sessions are spread over them round-robin. */
    public List<EventLoop> loops() {
        return loops;
    }

    public Class<? extends SocketChannel> channelClass() {
        return channelClass;
    }

    /** "epoll" or "nio". */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
