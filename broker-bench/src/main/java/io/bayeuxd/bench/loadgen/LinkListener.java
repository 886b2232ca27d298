package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

/** Events of a {@link Link}, delivered on the link's event loop. */
public interface LinkListener {

    /** The link can send: the TCP connection is open, and for a WebSocket the upgrade is done. */
    void onLinkUp(Link link);

    /**
     * A frame from the server: a WebSocket text message, or the body of a 200 response to a POST.
     *
     * @param frame borrowed: valid only during the call, MUST NOT be retained or released
     */
    void onFrame(Link link, ByteBuf frame);

    /** Called exactly once per link, whoever closed it, including when it never came up. */
    void onLinkDown(Link link, String reason);
}
