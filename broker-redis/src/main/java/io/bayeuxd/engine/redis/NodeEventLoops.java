package io.bayeuxd.engine.redis;

import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The event loops Lettuce runs the bus's Redis connections on: the node's own, once {@link #share} has
 * been told them, otherwise two threads of Lettuce's.
 *
 * <p>Why share: with threads of its own, every publication crosses from the client's loop to Lettuce's
 * thread to be written, and every frame from another node crosses from Lettuce's thread to the
 * subscribers' loops: each crossing wakes a thread. On the node's loops a crossing is saved whenever the
 * Redis connection and the client share a loop, and the node has no threads beyond one per core.
 *
 * <p>Never shuts the node's loops down: the node does, after the bus is closed.
 */
final class NodeEventLoops implements EventLoopGroupProvider {
    private static final Logger log = LoggerFactory.getLogger(NodeEventLoops.class);
    /** Lettuce's threads when nothing is shared; they start only if a connection asks for them. */
    private final DefaultEventLoopGroupProvider own;
    private volatile EventLoopGroup shared;
    private volatile int sharedLoops;

    /**
     * Connections opened from now on run on {@code loops}, whose channels are of
     * {@code socketChannelClass}; unless Lettuce would open channels of another kind (its transport
     * chosen otherwise), then they keep to Lettuce's threads. Returns whether they are shared.
     */
    /** @param ownThreads the threads of Lettuce's own while nothing is shared */
    NodeEventLoops(int ownThreads) {
        this.own = new DefaultEventLoopGroupProvider(ownThreads);
    }

    boolean share(EventLoopGroup loops, Class<? extends Channel> socketChannelClass) {
        Class<? extends Channel> lettuces = Transports.socketChannelClass();
        if (lettuces != socketChannelClass) {
            log.info("Redis connections keep to threads of their own: Lettuce opens {}, the node's loops serve {}",
                    lettuces.getSimpleName(), socketChannelClass.getSimpleName());
            return false;
        }
        int n = 0;
        for (var ignored : loops) {
            n++;
        }
        sharedLoops = n;
        shared = loops;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        // Lettuce asks for the group class of the transport it chose; share() checked that the node's
        // loops serve that transport's channels, which is all Lettuce does with the group.
        EventLoopGroup loops = shared;
        return loops != null ? (T) loops : own.allocate(type);
    }

    @Override
    public int threadPoolSize() {
        return shared != null ? sharedLoops : own.threadPoolSize();
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
        if (group == shared) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
        return own.release(group, quietPeriod, timeout, unit);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
        return own.shutdown(quietPeriod, timeout, unit);
    }
}
