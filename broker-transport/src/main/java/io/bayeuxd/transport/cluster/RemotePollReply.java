package io.bayeuxd.transport.cluster;

import io.bayeuxd.transport.longpoll.PollReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.EventExecutor;

/** Where the answer to a request another node forwarded goes: back to that node, on the cluster bus. */
final class RemotePollReply implements PollReply {
    private final ClusterPolling cluster;
    private final long id;
    private final String from;
    private final String key;
    private final EventExecutor executor;
    private final ByteBufAllocator alloc;
    private boolean done;

    RemotePollReply(ClusterPolling cluster, long id, String from, String key, EventExecutor executor, ByteBufAllocator alloc) {
        this.cluster = cluster;
        this.id = id;
        this.from = from;
        this.key = key;
        this.executor = executor;
        this.alloc = alloc;
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public void send(ByteBuf json) {
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(json);
        } finally {
            json.release();
        }
        done = true;
        cluster.answer(from, id, key, bytes);
    }

    @Override
    public void abandoned() {
        done = true;
        cluster.forget(key);
    }

    /** Whether it was answered or abandoned already (a connect answered at once is never held). */
    boolean isDone() {
        return done;
    }
}
