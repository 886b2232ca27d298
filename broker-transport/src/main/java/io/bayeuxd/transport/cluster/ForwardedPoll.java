package io.bayeuxd.transport.cluster;

import io.bayeuxd.transport.longpoll.HeldPoll;
import io.bayeuxd.transport.longpoll.PollReply;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A request of a client of this connection, sent to the node that holds its session and waiting for the
 * answer. Exactly one of these ends it, on the connection's event loop: the answer, the node being gone
 * (the request is then processed here), the timeout (likewise), or the connection closing first.
 */
final class ForwardedPoll implements HeldPoll {
    final long id;
    final String home;
    final String clientId;
    private final ClusterPolling cluster;
    private final PollReply reply;
    private final Runnable locally;
    private ScheduledFuture<?> timeout;
    private boolean done;

    ForwardedPoll(ClusterPolling cluster, long id, String home, String clientId, PollReply reply, Runnable locally) {
        this.cluster = cluster;
        this.id = id;
        this.home = home;
        this.clientId = clientId;
        this.reply = reply;
        this.locally = locally;
    }

    /** Called on the connection's event loop, right after the request was sent. */
    void start(long timeoutMs) {
        timeout = reply.executor().schedule(() -> {
            if (finish()) {
                cluster.abandon(this);
                locally.run();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The session's node answered with {@code json}; from any thread. */
    void answer(byte[] json) {
        reply.executor().execute(() -> {
            if (finish()) {
                reply.send(Unpooled.wrappedBuffer(json));
            }
        });
    }

    /** Nobody listens for the session's node: it is gone, and with it the session; from any thread. */
    void homeGone() {
        reply.executor().execute(() -> {
            if (finish()) {
                locally.run();
            }
        });
    }

    @Override
    public void abandon() {
        if (finish()) {
            cluster.abandon(this);
            reply.abandoned();
        }
    }

    /** A draining node does not hold the request: the session's node answers it within its own hold. */
    @Override
    public void drain() {
    }

    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        cluster.finished(this);
        return true;
    }
}
