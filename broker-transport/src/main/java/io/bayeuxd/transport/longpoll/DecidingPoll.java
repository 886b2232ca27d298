package io.bayeuxd.transport.longpoll;

/**
 * A polling request whose messages wait for an asynchronous extension or security policy
 * ({@link io.bayeuxd.broker.BatchResult#isDecided()}). Once they are decided it is answered, or its
 * connect held, as any other; until then an abandon or a drain is remembered. Runs on the request's
 * event loop.
 */
final class DecidingPoll implements HeldPoll {
    private final PollReply request;
    /** What the decided request holds ({@code null}: answered, or not decided yet). */
    private HeldPoll held;
    private boolean decided;
    private boolean abandoned;
    private boolean draining;

    DecidingPoll(PollReply request) {
        this.request = request;
    }

    boolean isAbandoned() {
        return abandoned;
    }

    /** The request was answered, or holds {@code connect}. */
    void decided(HeldPoll connect) {
        decided = true;
        held = connect;
        if (draining && connect != null) {
            connect.drain();
        }
    }

    @Override
    public void abandon() {
        if (held != null) {
            held.abandon();
        } else if (!decided && !abandoned) {
            abandoned = true;
            request.abandoned();
        }
    }

    @Override
    public void drain() {
        if (held != null) {
            held.drain();
        } else {
            // Answered as soon as it is decided, held connect included.
            draining = true;
        }
    }
}
