package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.TransportKind;

import java.util.concurrent.TimeUnit;

/**
 * A soak client that should never fail: the subscribers whose deliveries are owed and the publishers
 * that owe them. It behaves as a real client would: if the broker refuses it or the connection drops,
 * it handshakes again (at most {@link #MAX_RECOVERIES} times), and each such event is counted as a
 * well-behaved failure, because in a healthy soak there are none. While it has a session it counts
 * in {@link SoakStats#wellBehavedSessions}, which the broker's session count is checked against.
 */
abstract class WellBehavedClient extends SoakClient {

    static final int MAX_RECOVERIES = 3;
    static final long RECOVERY_DELAY_MS = 1_000;

    private boolean sessionCounted;
    private boolean finished;
    private int recoveries;

    WellBehavedClient(SoakContext soak, LoopContext loop, int payloadBytes) {
        super(soak, loop, TransportKind.WEBSOCKET, payloadBytes);
    }

    /** How failures name this client. */
    protected abstract String name();

    /** Its session is gone, or about to be replaced: forget what the broker held for it. */
    protected void onSessionLost() {
    }

    /** Disconnects politely at the end of the soak; no recovery after this. */
    void finish(long graceMs) {
        stopRecovering();
        leave(true, graceMs);
    }

    /** From now on a failure ends the client. */
    protected final void stopRecovering() {
        finished = true;
    }

    protected final boolean isFinished() {
        return finished;
    }

    /** Call once handshaken. */
    protected final void countSession() {
        if (!sessionCounted) {
            sessionCounted = true;
            soak.stats.wellBehavedSessions.incrementAndGet();
        }
    }

    @Override
    protected final void onFailure(String what) {
        soak.stats.wellBehavedFailure(name() + ": " + what);
        forgetSession();
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
    protected final void onEnded() {
        forgetSession();
    }

    private void forgetSession() {
        onSessionLost();
        if (sessionCounted) {
            sessionCounted = false;
            soak.stats.wellBehavedSessions.decrementAndGet();
        }
    }
}
