package io.bayeuxd.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * HTTP/1.1 requests that arrived on a connection while an earlier one is still unanswered, kept in
 * order so that responses leave in request order, at most {@code limit} of them.
 *
 * <p>Buffer ownership: the queue owns every request it holds. {@link #poll} hands one back to the
 * caller, who then releases it; {@link #releaseAll} releases the rest, and the handler holding the queue
 * must call it when the connection closes and when the handler leaves the pipeline (a WebSocket upgrade
 * removes the HTTP handlers).
 */
public final class WaitingRequests {
    private static final Logger log = LoggerFactory.getLogger(WaitingRequests.class);

    private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>(2);
    private final int limit;

    public WaitingRequests(int limit) {
        this.limit = limit;
    }

    /**
     * TAKES OWNERSHIP of {@code request}: queues it, or, with {@code limit} already waiting, releases it and
     * closes the connection as abusive.
     */
    public void add(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (queue.size() < limit) {
            queue.add(request);
            return;
        }
        log.debug("Closing {}: too many pipelined requests", ctx.channel().remoteAddress());
        request.release();
        ctx.close();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The oldest waiting request, still owned by the queue; or null. */
    public FullHttpRequest peek() {
        return queue.peek();
    }

    /** Removes the oldest waiting request and hands it, and its release, to the caller; or null. */
    public FullHttpRequest poll() {
        return queue.poll();
    }

    /** Releases every request still waiting. */
    public void releaseAll() {
        FullHttpRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
    }
}
