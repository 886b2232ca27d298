package io.bayeuxd.broker;

import io.bayeuxd.fanout.Fanout;
import io.bayeuxd.session.Session;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The {@code disconnect} slow-consumer policy: a session whose outbox is full is ended, with
 * {@code advice: {reconnect: "handshake"}} on its held connect, so that its client starts again rather
 * than miss messages without knowing.
 *
 * <p>Ending a session takes the subscription index's write lock, which the fan-out loop that finds the
 * full outbox must never wait for. So the publisher only marks the session (once, lock-free) and queues
 * it; {@link #evict} ends the queued sessions later, from the broker's sweep.
 */
final class SlowConsumerEviction implements Fanout.SlowConsumers {
    private final MpscUnboundedArrayQueue<Session> pending = new MpscUnboundedArrayQueue<>(64);
    private final LongAdder evicted = new LongAdder();

    @Override
    public void onOutboxFull(Session session) {
        if (session.markSlow()) {
            pending.offer(session);
        }
    }

    /**
     * Ends every session queued so far with {@code end} (false when it had ended already); returns how
     * many it ended. Single consumer: the sweep.
     */
    int evict(Predicate<Session> end) {
        int n = 0;
        for (Session s; (s = pending.poll()) != null; ) {
            if (end.test(s)) {
                n++;
            }
        }
        evicted.add(n);
        return n;
    }

    long evicted() {
        return evicted.sum();
    }
}
