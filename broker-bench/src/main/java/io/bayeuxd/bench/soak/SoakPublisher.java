package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.Link;
import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.RatePacer;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that publishes at a fixed rate, round-robin over the channels it owns, and
 * numbers the messages of each channel 0, 1, 2, … ({@code data.seq}); no other client publishes to
 * those channels, so the numbers tell subscribers exactly what they are owed. {@code data.ts} is the
 * scheduled publish time (see {@link RatePacer}), from which subscribers measure latency.
 *
 * <p>A message counts as published, and so owed, once it is handed to an open link; the
 * {@link DeliveryLedger} learns the new count of the channel right after.
 */
final class SoakPublisher extends WellBehavedClient {

    /** Most publishes written in one tick before yielding the loop to I/O. */
    static final int MAX_BATCH = 256;
    static final long MIN_TICK_NS = 1_000_000;

    private final int[] channels;
    private final long[] nextSeq;
    private final long ratePerSec;
    private final Runnable tickTask = this::tick;
    private RatePacer pacer;
    private boolean readyCounted;
    private boolean publishing;
    private boolean tickPending;
    private int nextChannel;

    /**
     * @param channels     the channels this publisher owns, published to in turn
     * @param ratePerSec   messages per second over all of them
     * @param payloadBytes serialized size of each message's {@code data}
     */
    SoakPublisher(SoakContext soak, LoopContext loop, int[] channels, long ratePerSec, int payloadBytes) {
        super(soak, loop, payloadBytes);
        if (channels.length == 0 || ratePerSec < 1) {
            throw new IllegalArgumentException("a publisher needs channels and a rate");
        }
        this.channels = channels.clone();
        this.nextSeq = new long[channels.length];
        this.ratePerSec = ratePerSec;
    }

    /** Publishes from {@code startNs} on; posted to this publisher's loop. */
    void startPublishing(long startNs) {
        if (publishing || isFinished()) {
            return;
        }
        publishing = true;
        pacer = new RatePacer(ratePerSec, startNs);
        tick();
    }

    /** Stops publishing for good; posted to this publisher's loop. */
    void stopPublishing() {
        publishing = false;
        stopRecovering();
    }

    /** Stops publishing and disconnects politely. */
    @Override
    void finish(long graceMs) {
        publishing = false;
        super.finish(graceMs);
    }

    /** Messages sent to channel {@code i} of this publisher's list. */
    long sentTo(int i) {
        return nextSeq[i];
    }

    @Override
    protected String name() {
        return "publisher";
    }

    @Override
    protected void onHandshaken() {
        countSession();
        if (!readyCounted) {
            readyCounted = true;
            soak.stats.publishersReady.incrementAndGet();
        }
        ensureConnecting();
        tick();
    }

    @Override
    protected void onPublishReply(ServerMessage m) {
        if (m.isSuccessful()) {
            soak.stats.publishAcked.increment();
        } else {
            soak.stats.publishRefused.increment();
            soak.stats.wellBehavedFailure("publish refused: " + m.error);
        }
    }

    /** Publishes what is due, then arranges the next tick. */
    private void tick() {
        tickPending = false;
        if (!publishing || pacer == null) {
            return;
        }
        long nowNs = soak.nanoTime();
        long due = pacer.dueCount(nowNs);
        Link link = controlLink();
        if (due > 0 && isHandshaken() && link != null && link.isWritable()) {
            int batch = (int) Math.min(due, MAX_BATCH);
            for (int i = 0; i < batch; i++) {
                publish(link, pacer.issueNext());
            }
            link.flush();
        }
        // Behind (not handshaken, not writable, or more due than one batch): come back soon; else at the next due time.
        long delayNs = pacer.dueCount(nowNs) > 0 ? MIN_TICK_NS : Math.max(MIN_TICK_NS, pacer.nanosUntilNext(nowNs));
        scheduleTick(delayNs);
    }

    private void publish(Link link, long scheduledNs) {
        int slot = nextChannel;
        nextChannel = (nextChannel + 1) % channels.length;
        int channel = channels[slot];
        long seq = nextSeq[slot];
        ByteBuf frame = link.alloc().buffer(encoder.publishSizeHint());
        encoder.publish(frame, nextMessageId(), channel, Math.max(0, scheduledNs - soak.baseNs), seq);
        if (!link.send(frame)) {
            soak.stats.publishNotSent.increment();
            return;
        }
        nextSeq[slot] = seq + 1;
        soak.ledger.published(channel, seq + 1);
        soak.stats.published.increment();
    }

    private void scheduleTick(long delayNs) {
        if (!tickPending) {
            tickPending = true;
            loop.loop.schedule(tickTask, delayNs, TimeUnit.NANOSECONDS);
        }
    }
}
