package io.bayeuxd.bench.loadgen;

import io.netty.channel.EventLoop;

/** Opens links for sessions; the seam lets session tests hand out fake links. */
public interface LinkOpener {

    /** See {@link LinkFactory#open}. */
    Link open(TransportKind transport, EventLoop loop, LinkListener listener, CookieJar cookies);
}
