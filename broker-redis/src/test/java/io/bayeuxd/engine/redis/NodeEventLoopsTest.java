package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.MemoryEngine;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a bus's Redis connections run: on the node's event loops once {@link RedisBus#runOn} gave them. */
class NodeEventLoopsTest {
    private RedisServerProcess redis;
    private EventLoopGroup nodeLoops;
    private Class<? extends Channel> socketChannelClass;
    private MemoryEngine sender;
    private MemoryEngine receiver;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: Redis bus tests skipped");
        redis = RedisServerProcess.start();
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        socketChannelClass = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
        nodeLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("node-loop"), io);
        sender = new MemoryEngine(64, new RedisBus(redis.url(), "test:", 100));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {receiver, sender, redis}) {
            if (c != null) {
                c.close();
            }
        }
        if (nodeLoops != null) {
            nodeLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void givenTheNodesLoopsWhatComesFromRedisIsHandledOnThemAndTheyOutliveTheBus() throws Exception {
        RedisBus bus = new RedisBus(redis.url(), "test:", 100);
        bus.runOn(nodeLoops, socketChannelClass);
        receiver = new MemoryEngine(64, bus);

        assertThat(threadReceiving(bus)).startsWith("node-loop");
        receiver.close();
        receiver = null;
        assertThat(nodeLoops.isShuttingDown()).as("the bus leaves the node's loops to the node").isFalse();
    }

    @Test
    void withoutThemItRunsOnThreadsOfItsOwn() throws Exception {
        RedisBus bus = new RedisBus(redis.url(), "test:", 100, 1);
        receiver = new MemoryEngine(64, bus);

        assertThat(threadReceiving(bus)).startsWith("lettuce-");
    }

    @Test
    void loopsOfAnotherTransportThanLettucesAreNotShared() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "Lettuce uses NIO here too");
        RedisBus bus = new RedisBus(redis.url(), "test:", 100, 1);
        bus.runOn(nodeLoops, NioSocketChannel.class);
        receiver = new MemoryEngine(64, bus);

        assertThat(threadReceiving(bus)).startsWith("lettuce-");
    }

    /** The name of the thread {@code bus} hands a message from another node to. */
    private String threadReceiving(RedisBus bus) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        bus.onNodeMessage(m -> thread.complete(Thread.currentThread().getName()));
        boolean delivered = sender.bus().sendToNode(bus.nodeToken(), "hello".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(delivered).isTrue();
        return thread.get(10, TimeUnit.SECONDS);
    }
}
