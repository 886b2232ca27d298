package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ServerFrameParser;
import io.netty.channel.EventLoop;

/** One of the driver's event loops and the frame parser its clients share; only that loop's thread uses the parser. */
final class ClientLoop {

    final EventLoop loop;
    final ServerFrameParser parser = new ServerFrameParser();

    ClientLoop(EventLoop loop) {
        this.loop = loop;
    }
}
