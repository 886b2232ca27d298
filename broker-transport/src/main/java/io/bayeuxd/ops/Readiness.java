package io.bayeuxd.ops;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the server takes new work: {@code /readyz} answers 200 only while {@link State#SERVING}. It
 * moves forward only, STARTING to SERVING to DRAINING.
 */
public final class Readiness {
    /** The lifecycle of a server as a load balancer sees it. */
    public enum State { STARTING, SERVING, DRAINING }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

    public State state() {
        return state.get();
    }

    public boolean isServing() {
        return state.get() == State.SERVING;
    }

    public boolean isDraining() {
        return state.get() == State.DRAINING;
    }

    /** The port is open: ready for clients, unless a drain has begun already. */
    public void serving() {
        state.compareAndSet(State.STARTING, State.SERVING);
    }

    /** Starts draining; returns false if it had already begun. */
    public boolean drain() {
        return state.getAndSet(State.DRAINING) != State.DRAINING;
    }
}
