package io.bayeuxd.fanout;

import io.bayeuxd.channel.MatchSet;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;

/**
 * Step 5 of the message path: one encoded publication, shared by reference with every matched session.
 */
public final class Fanout {
    private Fanout() {
    }

    /**
     * Decides what happens to a session that could not take a message; called on the publisher's thread,
     * inside the fan-out loop, so it must neither block nor take a lock.
     */
    public interface SlowConsumers {
        /** Only counts what the engine counts already: the message that did not fit is dropped. */
        SlowConsumers IGNORE = session -> { };

        void onOutboxFull(Session session);
    }

    /**
     * Offers {@code payload} to each session in {@code matches}. All references are taken with one
     * {@code retain(n)}; each outbox that refuses gives its reference back at once. BORROWS
     * {@code payload}: the caller's own reference is untouched.
     *
     * @param localOnly deliver only to in-process sessions (the broker asks for it on {@code /service/**})
     * @param onFull    told about each live session whose outbox was full (a slow consumer)
     * @return how many sessions queued the message
     */
    public static int offerAll(MatchSet<Session> matches, ByteBuf payload, boolean localOnly, SlowConsumers onFull) {
        int n = matches.size();
        if (n == 0) {
            return 0;
        }
        payload.retain(n);
        int queued = 0;
        for (int i = 0; i < n; i++) {
            Session session = matches.get(i);
            if (localOnly && !session.isLocal()) {
                payload.release();
            } else if (session.offer(payload)) {
                queued++;
            } else {
                payload.release();
                if (!session.isClosed()) {
                    onFull.onOutboxFull(session);
                }
            }
        }
        return queued;
    }
}
