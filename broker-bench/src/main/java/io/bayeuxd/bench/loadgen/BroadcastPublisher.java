package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * S6's publisher: one client that publishes timestamped messages on the channel every subscriber
 * shares, at a fixed rate, in phases that {@link StormRun} sets one after the other. Each message's
 * timestamp is its scheduled time (a {@link RatePacer}'s), so a server that falls behind shows it as
 * latency; each publish owes one delivery to every client subscribed to the channel as it leaves.
 *
 * <p>Unlike {@link PublisherSession} it has no in-flight window: at a few messages per second the
 * window never binds, and a broadcast must not be held back by slow subscribers.
 *
 * <p>Single writer: runs on its event loop; {@link #publishPhase} is posted there.
 */
final class BroadcastPublisher extends BayeuxSession {

    private final int channel;
    private final Runnable tickTask = this::tick;
    private RatePacer pacer;
    private long phaseEndNs;
    private long sequence;
    private boolean tickPending;
    private boolean ready;

    /** Handshaken at least once since the run began; read by the orchestrating thread. */
    volatile boolean handshaken;

    BroadcastPublisher(RunContext run, LoopContext loop, int channel) {
        super(run, loop, false);
        this.channel = channel;
    }

    @Override
    protected void onHandshaken() {
        ensureConnecting();
        handshaken = true;
        ready = true;
        tick();
    }

    @Override
    protected void onSessionLost() {
        ready = false;
    }

    /** Publishes {@code ratePerSec} messages a second from {@code startNs} until {@code endNs}; on this loop. */
    void publishPhase(long ratePerSec, long startNs, long endNs) {
        pacer = new RatePacer(ratePerSec, startNs);
        phaseEndNs = endNs;
        tick();
    }

    private void tick() {
        tickPending = false;
        if (pacer == null || run.timeline.isStopping()) {
            return;
        }
        long nowNs = run.clock.nanoTime();
        if (ready) {
            long due = pacer.dueCount(nowNs);
            Link link = controlLink();
            for (; due > 0 && link != null; due--) {
                long publishNs = pacer.issueNext();
                if (publishNs >= phaseEndNs) {
                    pacer = null;
                    break;
                }
                publish(link, publishNs);
            }
            if (link != null) {
                link.flush();
            }
        }
        if (pacer != null && !tickPending) {
            tickPending = true;
            long waitNs = ready ? Math.max(PublisherSession.MIN_TICK_NS, pacer.nanosUntilNext(nowNs)) : PublisherSession.WINDOW_RECHECK_NS;
            loop.loop.schedule(tickTask, waitNs, TimeUnit.NANOSECONDS);
        }
    }

    private void publish(Link link, long publishNs) {
        ByteBuf frame = link.alloc().buffer(encoder.publishSizeHint());
        encoder.publish(frame, nextMessageId(), channel, run.timeline.timestampOf(publishNs), sequence++);
        if (!link.send(frame)) {
            return;
        }
        int owed = run.stats.subscribersOnChannel.get(channel);
        RunStats stats = run.stats;
        stats.publishedAll.increment();
        stats.expectedAll.add(owed);
        if (run.timeline.isMeasured(publishNs)) {
            stats.publishedMeasured.increment();
            stats.expectedMeasured.add(owed);
        }
    }
}
