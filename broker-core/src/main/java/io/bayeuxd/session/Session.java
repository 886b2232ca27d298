package io.bayeuxd.session;

import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client of the broker, from handshake to disconnect or expiry.
 *
 * <p>Threading: publishers on any thread call {@link #offer}; the outbox has a single consumer, the
 * thread of the attached {@link DeliveryTarget}, enforced by the {@code draining} flag. {@link #wake()}
 * schedules at most one drain at a time on the target's executor. Nothing here blocks, and no callback
 * runs while a flag is held by another thread.
 */
public final class Session implements ServerSession {
    private static final AtomicIntegerFieldUpdater<Session> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "scheduled");
    private static final AtomicIntegerFieldUpdater<Session> DRAINING =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "draining");
    private static final AtomicIntegerFieldUpdater<Session> SLOW =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "slow");

    private final String clientId;
    private final boolean local;
    private static final AtomicReferenceFieldUpdater<Session, SessionOutbox> OUTBOX =
            AtomicReferenceFieldUpdater.newUpdater(Session.class, SessionOutbox.class, "outbox");

    /** Created by the first offer: most sessions are idle most of the time and need no queue at all. */
    private volatile SessionOutbox outbox;
    private final int outboxCapacity;
    private final SessionSubscriptions subscriptions = new SessionSubscriptions();
    private final Runnable drainTask = this::runDrain;

    private volatile DeliveryTarget target;
    private volatile int scheduled;
    private volatile int draining;
    /** 1 once a slow-consumer policy has decided to end this session; set once, by any publisher. */
    private volatile int slow;
    private volatile boolean closed;
    private volatile boolean disconnectedByClient;
    private volatile long lastActiveNanos;
    private volatile String connectionType;
    private volatile JsonValue handshakeExt;
    private volatile Object principal;
    private volatile RateLimiter publishLimiter;
    /** Set by the handshake when the client asked for CometD's acknowledgement extension; otherwise null. */
    private volatile AcknowledgedBatches acknowledged;

    public Session(String clientId, boolean local, int outboxCapacity, long nowNanos) {
        this.clientId = clientId;
        this.local = local;
        this.outboxCapacity = outboxCapacity;
        this.lastActiveNanos = nowNanos;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public JsonValue handshakeExt() {
        return handshakeExt;
    }

    @Override
    public Object principal() {
        return principal;
    }

    /** Records what the handshake established: its {@code ext} and the security policy's principal. */
    public void identify(JsonValue handshakeExt, Object principal) {
        this.handshakeExt = handshakeExt;
        this.principal = principal;
    }

    /**
     * Turns on CometD's acknowledged delivery for this session (its handshake asked for it): from now on
     * messages leave only with a {@code /meta/connect} reply ({@link #drainBatchInto}), and each stays
     * kept until the client acknowledges its batch. Called by the handshake, before its reply is sent.
     *
     * @param resent counts messages sent again because their batch went unacknowledged
     */
    public void acknowledgeBatches(LongAdder resent) {
        acknowledged = new AcknowledgedBatches(outboxCapacity, resent);
    }

    /**
     * Whether this session uses acknowledged delivery: its transport must then deliver only with connect
     * replies, through {@link #drainBatchInto}, never {@link #drainInto}.
     */
    public boolean acknowledgesBatches() {
        return acknowledged != null;
    }

    /**
     * The client's connect says it received batch {@code batch}; releases what that batch carried if it
     * is the latest. No-op for a session without acknowledged delivery.
     */
    public void acknowledge(long batch) {
        AcknowledgedBatches a = acknowledged;
        if (a != null) {
            a.acknowledge(batch);
        }
    }

    /** Messages sent with acknowledged delivery and not yet acknowledged (0 without it). */
    public int unacknowledgedMessages() {
        AcknowledgedBatches a = acknowledged;
        return a == null ? 0 : a.size();
    }

    /** Limits this session's publishes; {@code null} means unlimited. */
    public RateLimiter publishLimiter() {
        return publishLimiter;
    }

    public void publishLimiter(RateLimiter limiter) {
        this.publishLimiter = limiter;
    }

    /** True for in-process clients of the server itself; only they may receive {@code /service/**} messages. */
    @Override
    public boolean isLocal() {
        return local;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Marks this session as one a slow-consumer policy will end; true for the first caller only, so a
     * session that keeps refusing messages is queued for eviction once.
     */
    public boolean markSlow() {
        return slow == 0 && SLOW.compareAndSet(this, 0, 1);
    }

    /** Marks that the client asked to end the session ({@code /meta/disconnect}), before it is closed. */
    public void markDisconnectedByClient() {
        disconnectedByClient = true;
    }

    /**
     * The advice for a connect still held when the session ends: {@code none} when the client itself
     * disconnected, {@code handshake} when the server ended it (expiry, slow consumer, shutdown).
     */
    public String reconnectAdviceOnClose() {
        return disconnectedByClient ? "none" : "handshake";
    }

    /** The connection type of the client's latest connect, or {@code null} before the first. */
    public String connectionType() {
        return connectionType;
    }

    public void connectionType(String connectionType) {
        this.connectionType = connectionType;
    }

    private boolean isOutboxEmpty() {
        SessionOutbox q = outbox;
        return q == null || q.isEmpty();
    }

    private SessionOutbox outboxForOffer() {
        SessionOutbox q = outbox;
        if (q == null) {
            q = new SessionOutbox(outboxCapacity);
            if (!OUTBOX.compareAndSet(this, null, q)) {
                q = outbox;
            }
        }
        return q;
    }

    /** Records client activity (a connect arriving or being answered) for expiry. */
    public void touch(long nowNanos) {
        lastActiveNanos = nowNanos;
    }

    public long lastActiveNanos() {
        return lastActiveNanos;
    }

    /** The subscriptions of this session at this moment (a read-only snapshot). */
    public List<String> subscriptions() {
        return subscriptions.snapshot();
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public boolean isSubscribed(String channel) {
        return subscriptions.contains(channel);
    }

    /** Records a subscription, made now; for the engine, which keeps the index in step. */
    public boolean addSubscription(String channel) {
        return subscriptions.add(channel, System.currentTimeMillis());
    }

    /** When the session subscribed to {@code channel} (epoch milliseconds), or -1 when it is not subscribed. */
    public long subscribedSince(String channel) {
        return subscriptions.since(channel);
    }

    /** Forgets a subscription; for the engine, which keeps the index in step. */
    public boolean removeSubscription(String channel) {
        return subscriptions.remove(channel);
    }

    public int queuedMessages() {
        SessionOutbox q = outbox;
        return q == null ? 0 : q.size();
    }

    /**
     * Whether a connect arriving now has messages to carry: queued ones, or, with acknowledged delivery,
     * kept ones its acknowledgement did not release (they go out again).
     */
    public boolean hasQueuedMessages() {
        AcknowledgedBatches a = acknowledged;
        return !isOutboxEmpty() || (a != null && a.hasKept());
    }

    /**
     * Queues one reference to an encoded message. On {@code true} the outbox owns that reference; on
     * {@code false} (outbox full, or the session closed) the caller still does and must release it.
     */
    public boolean offer(ByteBuf message) {
        if (closed || !outboxForOffer().offer(message)) {
            return false;
        }
        if (closed) {
            // close() may have emptied the outbox before our offer landed: empty it again.
            releaseQueued();
        } else {
            wake();
        }
        return true;
    }

    /**
     * Queues messages that a stored channel replays to this session ahead of everything live (see
     * {@code SessionOutbox}), unless more than {@code limit} replayed messages would then be waiting. On
     * {@code true} the session owns one reference to each; on {@code false} (over the limit, or the
     * session closed) the caller still owns them all and must release them.
     */
    public boolean offerReplays(List<ByteBuf> messages, int limit) {
        if (messages.isEmpty()) {
            return true;
        }
        if (closed || !outboxForOffer().offerReplays(messages, limit)) {
            return false;
        }
        if (closed) {
            releaseQueued();
        } else {
            wake();
        }
        return true;
    }

    /** The target messages currently go to, or {@code null}. */
    public DeliveryTarget target() {
        return target;
    }

    /** Makes {@code newTarget} the consumer of this session's messages and delivers what is waiting. */
    public void attach(DeliveryTarget newTarget) {
        target = newTarget;
        if (!isOutboxEmpty()) {
            wake();
        }
    }

    /** Detaches {@code expected} if it is still the target; returns whether it was. */
    public boolean detach(DeliveryTarget expected) {
        if (target != expected) {
            return false;
        }
        target = null;
        return true;
    }

    /**
     * Schedules a drain on the target's executor unless one is already scheduled. Safe from any thread.
     * With no target attached the messages stay queued until {@link #attach} delivers them.
     */
    public void wake() {
        for (;;) {
            // A plain read first: when a drain is already scheduled (the common case under load) this
            // costs no atomic write on the publish path.
            if (scheduled != 0 || !SCHEDULED.compareAndSet(this, 0, 1)) {
                return;
            }
            DeliveryTarget t = target;
            if (t != null) {
                t.executor().execute(drainTask);
                return;
            }
            scheduled = 0;
            // An attach may have happened between our read of target and the reset above; its own
            // wake() then saw scheduled == 1 and gave up, so the work is ours.
            if (target == null || isOutboxEmpty()) {
                return;
            }
        }
    }

    private void runDrain() {
        DeliveryTarget t = target;
        if (t != null && t.executor().inEventLoop() && !closed) {
            t.onMessages(this);
        }
        scheduled = 0;
        DeliveryTarget now = target;
        if (now != null && !closed && !isOutboxEmpty() && (now != t || canContinue(now))) {
            wake();
        }
    }

    /** A target that took a bounded batch and left more gets another turn; one that stopped (unwritable) does not. */
    private boolean canContinue(DeliveryTarget t) {
        return !(t instanceof BackPressured bp) || bp.isWritable();
    }

    /**
     * Appends up to {@code limit} queued messages to {@code out} as JSON array elements and releases
     * them. Returns how many were appended, or 0 when another thread is draining right now.
     *
     * @param commaFirst whether {@code out} already holds an array element
     */
    public int drainInto(ByteBuf out, int limit, boolean commaFirst) {
        if (!DRAINING.compareAndSet(this, 0, 1)) {
            return 0;
        }
        try {
            SessionOutbox q = outbox;
            return q == null ? 0 : q.drainInto(out, limit, commaFirst);
        } finally {
            draining = 0;
        }
    }

    /**
     * As {@link #drainInto(ByteBuf, int, boolean)} into a frame that holds no element yet, each message
     * written by {@code writer} (a transport's own encoding of the array) instead of copied. Not for a session
     * with acknowledged delivery.
     */
    public int drainInto(ByteBuf out, int limit, ElementWriter writer) {
        if (!DRAINING.compareAndSet(this, 0, 1)) {
            return 0;
        }
        try {
            SessionOutbox q = outbox;
            return q == null ? 0 : q.drainInto(out, limit, writer);
        } finally {
            draining = 0;
        }
    }

    /**
     * For a session with acknowledged delivery: fills the next batch into {@code out} (kept messages
     * first, then up to {@code limit} in all, see {@link AcknowledgedBatches}) and writes the batch's
     * number into {@code connectReply}'s {@code ext}, which the caller then encodes after the messages.
     * The messages written stay kept: their references are not released here. Returns how many were
     * appended, or 0, with no number written, when another thread is draining right now.
     *
     * @param commaFirst whether {@code out} already holds an array element
     */
    public int drainBatchInto(ByteBuf out, int limit, boolean commaFirst, Message connectReply) {
        if (!DRAINING.compareAndSet(this, 0, 1)) {
            return 0;
        }
        try {
            return acknowledged.drainInto(outbox, out, limit, commaFirst, connectReply);
        } finally {
            draining = 0;
        }
    }

    /**
     * The publish time of the oldest message taken by this thread's latest {@link #drainInto}, or
     * {@link io.bayeuxd.protocol.BayeuxEncoder#NO_PUBLISH_TIME}. Read it right after the drain, on the
     * draining thread.
     */
    public long drainedPublishNanos() {
        AcknowledgedBatches a = acknowledged;
        if (a != null) {
            return a.drainedPublishNanos();
        }
        SessionOutbox q = outbox;
        return q == null ? io.bayeuxd.protocol.BayeuxEncoder.NO_PUBLISH_TIME : q.drainedPublishNanos();
    }

    /**
     * Ends the session: no more messages are accepted, queued ones are released, and an attached target
     * is told on its own executor. Idempotent.
     *
     * @return how many queued messages were released undelivered (0 when it was already closed)
     */
    public int close() {
        if (closed) {
            return 0;
        }
        closed = true;
        AcknowledgedBatches a = acknowledged;
        // First, so that a batch filled from now on keeps nothing the release below would miss.
        int discarded = a == null ? 0 : a.releaseAll();
        discarded += releaseQueued();
        DeliveryTarget t = target;
        target = null;
        if (t != null) {
            EventExecutor executor = t.executor();
            if (executor.inEventLoop()) {
                t.onSessionClosed(this);
            } else {
                executor.execute(() -> t.onSessionClosed(this));
            }
        }
        return discarded;
    }

    private int releaseQueued() {
        // Bounded: publishers stop offering once they see closed, so the queue only shrinks.
        int n = 0;
        while (!isOutboxEmpty()) {
            if (DRAINING.compareAndSet(this, 0, 1)) {
                try {
                    n += outbox.releaseAll();   // not null: the loop saw it non-empty
                } finally {
                    draining = 0;
                }
            } else {
                Thread.onSpinWait();
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Session{" + clientId + (local ? ", local" : "") + (closed ? ", closed" : "") + '}';
    }

    /** Implemented by targets whose socket can stop accepting writes; they are woken again when it can. */
    public interface BackPressured {
        boolean isWritable();
    }
}
