package io.bayeuxd.bench.loadgen;

import java.util.concurrent.TimeUnit;

/**
 * A client that subscribes to one benchmark channel (and, in S6, to a second one that every client
 * shares) and measures every delivery: handshake, then {@code /meta/subscribe}, then the connect loop.
 * Over long-polling all of it shares one connection, one request at a time; deliveries arrive in the
 * connect replies. Over WebSocket the server pushes deliveries whenever it likes.
 */
final class SubscriberSession extends BayeuxSession {

    /** No second channel. */
    static final int NO_CHANNEL = -1;

    private final int channel;
    private final int sharedChannel;
    private final Runnable startTask = this::start;
    /** Successful subscribe replies still awaited before the client counts as subscribed. */
    private int repliesAwaited;
    private boolean subscribed;
    /** After a deliberate drop ({@link #dropAndReconnect}): start again this many ms after the link is down; -1 for no. */
    private long reconnectDelayMs = -1;
    /** Dropped by {@link #dropAndReconnect}: the next subscription counts in {@code resubscribedClients}. */
    private boolean resubscribeAwaited;

    SubscriberSession(RunContext run, LoopContext loop, int channel) {
        this(run, loop, channel, run.links);
    }

    /** A subscriber whose links go through {@code links}: to its server, in a run against several. */
    SubscriberSession(RunContext run, LoopContext loop, int channel, LinkOpener links) {
        this(run, loop, channel, NO_CHANNEL, links);
    }

    /**
     * A subscriber of {@code channel} and of {@code sharedChannel} too (unless {@link #NO_CHANNEL}): it
     * counts as subscribed once both are acknowledged.
     */
    SubscriberSession(RunContext run, LoopContext loop, int channel, int sharedChannel, LinkOpener links) {
        super(run, loop, links, false);
        this.channel = channel;
        this.sharedChannel = sharedChannel;
    }

    /**
     * Drops the connection at once, without a {@code /meta/disconnect}, as a client does whose network
     * went away, and starts over (a new connection, handshake, subscriptions) {@code delayMs} after the
     * link is down. On this session's loop.
     */
    void dropAndReconnect(long delayMs) {
        reconnectDelayMs = Math.max(0, delayMs);
        resubscribeAwaited = true;
        leave(false, 0);
    }

    @Override
    protected void onEnded() {
        super.onEnded();
        if (reconnectDelayMs >= 0) {
            long delayMs = reconnectDelayMs;
            reconnectDelayMs = -1;
            loop.loop.schedule(startTask, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    boolean isSubscribed() {
        return subscribed;
    }

    @Override
    protected void onHandshaken() {
        repliesAwaited = 1;
        subscribe(channel);
        if (sharedChannel != NO_CHANNEL) {
            repliesAwaited++;
            subscribe(sharedChannel);
        }
    }

    @Override
    protected void onSubscribeReply(ServerMessage m) {
        if (subscribed) {
            return;
        }
        if (m.isSuccessful()) {
            if (--repliesAwaited > 0) {
                return;
            }
            subscribed = true;
            run.stats.subscribersOnChannel.incrementAndGet(channel);
            if (sharedChannel != NO_CHANNEL) {
                run.stats.subscribersOnChannel.incrementAndGet(sharedChannel);
            }
            run.stats.subscribedClients.incrementAndGet();
            if (resubscribeAwaited) {
                resubscribeAwaited = false;
                run.stats.resubscribedClients.incrementAndGet();
            }
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
            if (sharedChannel != NO_CHANNEL) {
                run.stats.subscribersOnChannel.decrementAndGet(sharedChannel);
            }
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
