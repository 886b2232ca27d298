package io.bayeuxd.bench.loadgen;

/**
 * A client that subscribes to one benchmark channel and measures every delivery: handshake, then
 * {@code /meta/subscribe}, then the connect loop. Over long-polling all of it shares one
 * connection, one request at a time; deliveries arrive in the connect replies. Over WebSocket the
 * server pushes deliveries whenever it likes.
 */
final class SubscriberSession extends BayeuxSession {

    private final int channel;
    private boolean subscribed;

    SubscriberSession(RunContext run, LoopContext loop, int channel) {
        this(run, loop, channel, run.links);
    }

    /** A subscriber whose links go through {@code links}: to its server, in a run against several. */
    SubscriberSession(RunContext run, LoopContext loop, int channel, LinkOpener links) {
        super(run, loop, links, false);
        this.channel = channel;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    @Override
    protected void onHandshaken() {
        subscribe(channel);
    }

    @Override
    protected void onSubscribeReply(ServerMessage m) {
        if (subscribed) {
            return;
        }
        if (m.isSuccessful()) {
            subscribed = true;
            run.stats.subscribersOnChannel.incrementAndGet(channel);
            run.stats.subscribedClients.incrementAndGet();
            ensureConnecting();
            return;
        }
        run.stats.error(ErrorKind.SUBSCRIBE, m.error);
        if (needsHandshake(m)) {
            rehandshake();
        } else {
            // Nothing in Bayeux makes a refused subscription worth retrying as is.
            giveUp("subscribe refused: " + m.error);
        }
    }

    @Override
    protected void onSessionLost() {
        if (subscribed) {
            subscribed = false;
            run.stats.subscribersOnChannel.decrementAndGet(channel);
            run.stats.subscribedClients.decrementAndGet();
        }
    }

    @Override
    protected void onDelivery(ServerMessage m, long arrivalNs) {
        if (!m.hasTimestamp) {
            run.stats.foreignMessages.increment();
            return;
        }
        RunStats stats = run.stats;
        stats.deliveredAll.increment();
        long publishNs = run.timeline.publishTimeOf(m.timestamp);
        if (run.timeline.isMeasured(publishNs) && loop.isRecording()) {
            stats.deliveredMeasured.increment();
            loop.recordLatencyNs(arrivalNs - publishNs);
        }
    }
}
