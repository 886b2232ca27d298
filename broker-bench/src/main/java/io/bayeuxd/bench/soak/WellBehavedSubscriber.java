package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that subscribes to one channel for the whole soak and must receive every
 * message published to it: each delivery's {@code data.seq} goes into the {@link DeliveryLedger}.
 *
 * <p>It behaves as a real client would: if the broker refuses it or the connection drops, it
 * handshakes again (at most {@link #MAX_RECOVERIES} times), and each such event is counted as a
 * well-behaved failure, because in a healthy soak there are none. What it missed meanwhile shows up
 * in the ledger as loss.
 */
final class WellBehavedSubscriber extends SoakClient {

    static final int MAX_RECOVERIES = 3;
    static final long RECOVERY_DELAY_MS = 1_000;

    private final int index;
    private final int channel;
    private boolean subscribed;
    private boolean sessionCounted;
    private boolean finished;
    private int recoveries;

    /**
     * @param index   this subscriber's row in the ledger
     * @param channel the channel it listens on
     */
    WellBehavedSubscriber(SoakContext soak, LoopContext loop, int index, int channel) {
        super(soak, loop, TransportKind.WEBSOCKET, 0);
        this.index = index;
        this.channel = channel;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    int index() {
        return index;
    }

    /** Disconnects politely at the end of the soak; no recovery after this. */
    void finish(long graceMs) {
        finished = true;
        leave(true, graceMs);
    }

    @Override
    protected void onHandshaken() {
        countSession(true);
        ByteBuf frame = controlLink().alloc().buffer(160);
        encoder.subscribe(frame, nextMessageId(), channel);
        sendNow(frame);
    }

    @Override
    protected void onSubscribeReply(ServerMessage m) {
        if (m.isSuccessful()) {
            if (!subscribed) {
                subscribed = true;
                soak.stats.subscribersSubscribed.incrementAndGet();
            }
            ensureConnecting();
        } else {
            onFailure("subscribe refused: " + m.error);
        }
    }

    @Override
    protected void onDelivery(ServerMessage m, long arrivalNs) {
        if (!m.hasTimestamp) {
            return;
        }
        soak.ledger.record(index, m.sequence);
        long latencyUs = Math.max(0, arrivalNs - (soak.baseNs + m.timestamp)) / 1_000;
        soak.latencyUs.recordValue(Math.min(latencyUs, SoakContext.HIGHEST_LATENCY_US));
    }

    @Override
    protected void onFailure(String what) {
        soak.stats.wellBehavedFailure("subscriber " + index + ": " + what);
        forgetSubscription();
        if (finished || recoveries >= MAX_RECOVERIES) {
            if (state() != State.CLOSED) {
                leave(false, 0);
            }
            return;
        }
        recoveries++;
        if (state() == State.CLOSED) {
            loop.loop.schedule(this::start, RECOVERY_DELAY_MS, TimeUnit.MILLISECONDS);
        } else {
            handshakeAgain();
        }
    }

    @Override
    protected void onEnded() {
        forgetSubscription();
    }

    private void forgetSubscription() {
        if (subscribed) {
            subscribed = false;
            soak.stats.subscribersSubscribed.decrementAndGet();
        }
        countSession(false);
    }

    private void countSession(boolean has) {
        if (has != sessionCounted) {
            sessionCounted = has;
            if (has) {
                soak.stats.wellBehavedSessions.incrementAndGet();
            } else {
                soak.stats.wellBehavedSessions.decrementAndGet();
            }
        }
    }
}
