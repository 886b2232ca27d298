package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;

/**
 * A short-lived client: connects, handshakes, subscribes to one channel, receives a few messages and
 * goes. It leaves after {@code churnReceiveTarget} deliveries or at the end of its lifetime, whichever
 * comes first, in one of two ways:
 * <ul>
 *   <li>politely: {@code /meta/disconnect}, then the connection closes. Over long-polling the
 *       disconnect waits for the held connect to come back (with messages, or at the broker's
 *       timeout), as a browser's would on its one connection;</li>
 *   <li>abruptly: the connection is dropped, held connect and all; the broker has to notice and
 *       expire the session after twice its timeout.</li>
 * </ul>
 * Its deliveries are counted but not owed: a churned client may subscribe between two publishes.
 */
final class Churner extends SoakClient {

    /** Beyond the lifetime, how long a polite long-polling client waits for its held connect before dropping it. */
    static final long EXTRA_GRACE_MS = 5_000;

    private final int channel;
    private final boolean polite;
    private final long lifetimeMs;
    private final long graceMs;
    private final int receiveTarget;
    private final Runnable onGone;
    private Future<?> lifetimeTimer;
    private Future<?> deadline;
    private int received;
    private boolean wantsToLeave;
    private boolean ended;

    /** @param onGone runs once on the loop when the client has ended */
    Churner(SoakContext soak, LoopContext loop, TransportKind transport, int channel, boolean polite, Runnable onGone) {
        super(soak, loop, transport, 0);
        this.onGone = onGone;
        SoakConfig config = soak.config;
        this.channel = channel;
        this.polite = polite;
        this.lifetimeMs = config.churnLifetimeMs();
        this.graceMs = config.brokerTimeoutMs() + EXTRA_GRACE_MS;
        this.receiveTarget = config.churnReceiveTarget();
    }

    /** Starts the client and the timers that bound its life; on its loop. */
    void begin() {
        soak.stats.churnStarted.increment();
        soak.stats.churnAlive.incrementAndGet();
        if (transport == TransportKind.LONG_POLLING) {
            soak.stats.churnLongPolling.increment();
        }
        lifetimeTimer = loop.loop.schedule(this::timeToLeave, lifetimeMs, TimeUnit.MILLISECONDS);
        // Whatever happens, the client is gone by then.
        deadline = loop.loop.schedule(() -> leave(false, 0), lifetimeMs + graceMs + EXTRA_GRACE_MS, TimeUnit.MILLISECONDS);
        start();
    }

    /** Drops the client now, whatever it was doing: for the end of the soak. */
    void abort() {
        wantsToLeave = true;
        leave(false, 0);
    }

    boolean isPolite() {
        return polite;
    }

    @Override
    protected void onHandshaken() {
        subscribe(channel);
    }

    @Override
    protected void onSubscribeReply(ServerMessage m) {
        if (m.isSuccessful()) {
            ensureConnecting();
        } else {
            onFailure("subscribe refused: " + m.error);
        }
    }

    @Override
    protected void onDelivery(ServerMessage m, long arrivalNs) {
        if (received == 0) {
            soak.stats.churnWithDelivery.increment();
        }
        received++;
        soak.stats.churnDeliveries.increment();
        if (received >= receiveTarget) {
            timeToLeave();
        }
    }

    /**
     * Over long-polling a polite client leaves when its connect comes back, with the connection free
     * for the disconnect; until then it keeps the connect loop going.
     */
    @Override
    protected boolean continueConnecting() {
        if (wantsToLeave && polite && transport == TransportKind.LONG_POLLING) {
            leave(true, graceMs);
            return false;
        }
        return true;
    }

    @Override
    protected void onFailure(String what) {
        soak.stats.churnFailure(transport + (polite ? " polite" : " abrupt") + " churner: " + what);
        if (state() != State.CLOSED) {
            leave(false, 0);
        }
    }

    @Override
    protected void onEnded() {
        if (ended) {
            return;
        }
        ended = true;
        cancel(lifetimeTimer);
        cancel(deadline);
        soak.stats.churnAlive.decrementAndGet();
        onGone.run();
    }

    private void timeToLeave() {
        if (wantsToLeave) {
            return;
        }
        wantsToLeave = true;
        if (!polite) {
            soak.stats.churnLeftAbruptly.increment();
            leave(false, 0);
        } else if (transport == TransportKind.WEBSOCKET || !isHandshaken()) {
            soak.stats.churnLeftPolitely.increment();
            leave(isHandshaken(), graceMs);
        } else {
            soak.stats.churnLeftPolitely.increment();
            // Long-polling: continueConnecting() sends the disconnect when the held connect returns.
        }
    }

    private static void cancel(Future<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
