package io.bayeuxd.transport.longpoll;

/**
 * A polling request that is not answered yet: a {@code /meta/connect} held here ({@link HeldConnect}),
 * or a request forwarded to the node that holds its session. The transport keeps it while the
 * connection is open.
 */
public interface HeldPoll {
    /** The connection closed first: nothing will be written; what is queued waits for the next connect. */
    void abandon();

    /** The server is draining: answer now with all that is queued. */
    void drain();
}
