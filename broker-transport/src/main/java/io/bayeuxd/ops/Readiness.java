package io.bayeuxd.ops;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Whether the server takes new work: {@code /readyz} answers 200 only while {@link State#SERVING}. The
 * lifecycle moves forward only, STARTING to SERVING to DRAINING; while serving, a node whose link to the
 * other nodes is down reports {@link State#CLUSTER_UNREACHABLE}, so that a balancer sends new clients
 * to nodes whose publications reach everyone.
 */
public final class Readiness {
    /** The state of a server as a load balancer sees it. */
    public enum State { STARTING, SERVING, CLUSTER_UNREACHABLE, DRAINING }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private volatile BooleanSupplier clusterReachable = () -> true;

    public State state() {
        State s = state.get();
        return s == State.SERVING && !clusterReachable.getAsBoolean() ? State.CLUSTER_UNREACHABLE : s;
    }

    /** What must hold, besides serving, for the node to be ready: its cluster bus is up. */
    public void requires(BooleanSupplier clusterReachable) {
        this.clusterReachable = clusterReachable;
    }

    boolean isServing() {
        return state() == State.SERVING;
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
