package io.bayeuxd.bench.loadgen;

import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives client sessions without threads or sockets: an embedded event loop whose time is frozen
 * and moved by hand together with a fake {@link NanoClock}, and {@link FakeLink}s, in the order
 * sessions opened them, that record what is sent. The load generator's and the soak's harnesses add
 * their run's context.
 */
public class ClientHarness implements AutoCloseable {

    public final FakeClock clock = new FakeClock();
    public final EmbeddedChannel channel = new EmbeddedChannel();
    public final LoopContext loop = new LoopContext(channel.eventLoop());
    public final List<FakeLink> links = new ArrayList<>();
    /** Hands out a new {@link FakeLink} per call and keeps it in {@link #links}. */
    public final LinkOpener opener = (transport, eventLoop, listener, cookies) -> {
        FakeLink link = new FakeLink(transport, listener);
        links.add(link);
        return link;
    };

    public ClientHarness() {
        channel.freezeTime();
        clock.nowNs = 1_000_000_000L;
    }

    /** Moves both clocks forward and runs whatever became due on the loop. */
    public void advanceMs(long ms) {
        clock.nowNs += TimeUnit.MILLISECONDS.toNanos(ms);
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        runTasks();
    }

    public void runTasks() {
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    public FakeLink link(int index) {
        return links.get(index);
    }

    public FakeLink lastLink() {
        return links.get(links.size() - 1);
    }

    @Override
    public void close() {
        for (FakeLink link : links) {
            link.sent.clear();
        }
        channel.finishAndReleaseAll();
    }

    /** A clock that moves only when told. */
    public static final class FakeClock implements NanoClock {
        public long nowNs;

        @Override
        public long nanoTime() {
            return nowNs;
        }
    }
}
