package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.ServerMessage;

/**
 * A WebSocket client that subscribes to one channel for the whole soak and must receive every
 * message published to it: each delivery's {@code data.seq} goes into the {@link DeliveryLedger}.
 * What it missed while recovering shows up there as loss.
 */
final class WellBehavedSubscriber extends WellBehavedClient {

    private final int index;
    private final int channel;
    private boolean subscribed;

    /**
     * @param index   this subscriber's row in the ledger
     * @param channel the channel it listens on
     */
    WellBehavedSubscriber(SoakContext soak, LoopContext loop, int index, int channel) {
        super(soak, loop, 0);
        this.index = index;
        this.channel = channel;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    int index() {
        return index;
    }

    @Override
    protected String name() {
        return "subscriber " + index;
    }

    @Override
    protected void onHandshaken() {
        countSession();
        subscribe(channel);
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
    protected void onSessionLost() {
        if (subscribed) {
            subscribed = false;
            soak.stats.subscribersSubscribed.decrementAndGet();
        }
    }
}
