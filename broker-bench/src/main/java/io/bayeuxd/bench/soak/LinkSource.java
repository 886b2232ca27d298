package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.Link;
import io.bayeuxd.bench.loadgen.LinkListener;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.channel.EventLoop;

/** Opens client links to the broker; the seam lets client tests hand out fake links. */
interface LinkSource {

    /** Starts connecting; {@code listener} learns on {@code loop} whether the link came up or went down. */
    Link open(TransportKind transport, EventLoop loop, LinkListener listener);
}
