package io.bayeuxd.engine;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Carries publications between the broker nodes of a cluster. The engine hands it every publication a
 * local client makes (after the local fan-out) and tells it which channels and patterns its local
 * sessions subscribe to; the bus delivers the publications of other nodes that match those back to the
 * engine's local fan-out, which encodes nothing again.
 *
 * <p>A single node uses {@link #NONE}. The Redis bus lives in a module of its own, so the core keeps no
 * dependency on a Redis client.
 */
public interface ClusterBus extends AutoCloseable {
    /** The bus of a node that is alone: carries nothing and is always healthy. */
    ClusterBus NONE = new ClusterBus() {
        @Override
        public void start(RemotePublications sink) {
        }

        @Override
        public void subscribed(String channelOrPattern) {
        }

        @Override
        public void unsubscribed(String channelOrPattern) {
        }

        @Override
        public void publish(String channel, ByteBuf payload) {
        }

        @Override
        public boolean isHealthy() {
            return true;
        }

        @Override
        public String nodeToken() {
            return null;
        }

        @Override
        public CompletionStage<Boolean> sendToNode(String nodeToken, byte[] message) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public void onNodeMessage(Consumer<byte[]> handler) {
        }

        @Override
        public void close() {
        }
    };

    /** Called once, by the engine, before any other method: where publications of other nodes go. */
    void start(RemotePublications sink);

    /**
     * A local session subscribed to {@code channelOrPattern}. Called once per new subscription of a
     * session, from any thread; the bus counts them and listens for the first.
     */
    void subscribed(String channelOrPattern);

    /** A local session's subscription ended (unsubscribe, disconnect or expiry); the bus stops at the last. */
    void unsubscribed(String channelOrPattern);

    /**
     * Sends a publication made on this node to the other nodes. BORROWS {@code payload}: the bus copies
     * or retains what it needs before returning; the caller releases its own reference. Never blocks:
     * when the bus cannot take it (its link is down, or too much is in flight) it counts the publication
     * as undelivered to other nodes and drops it.
     */
    void publish(String channel, ByteBuf payload);

    /** Whether the bus can carry publications now; {@code /readyz} reports the node unready while it cannot. */
    boolean isHealthy();

    /**
     * This node's token in the cluster, which starts the client id of every session it holds
     * ({@code ClientIdGenerator.forNode}); {@code null} for a node alone.
     */
    String nodeToken();

    /**
     * Sends {@code message} to the node with {@code nodeToken}; completes with whether a node with that
     * token was listening (false at once for {@link #NONE}, or when the bus is down).
     */
    CompletionStage<Boolean> sendToNode(String nodeToken, byte[] message);

    /**
     * Adds a receiver of the messages other nodes send to this one (to it alone, or to every node),
     * called on the bus's thread. Every receiver sees every message: each acts on the types it knows and
     * ignores the others.
     */
    void onNodeMessage(Consumer<byte[]> handler);

    /**
     * Sends {@code message} to every other node of the cluster, whose receivers get it as a message sent
     * to them; this node does not get its own. Completes with how many other nodes were listening (0 at
     * once for {@link #NONE}, or when the bus is down), so that a caller knows how many answers to
     * expect.
     */
    default CompletionStage<Integer> sendToAllNodes(byte[] message) {
        return CompletableFuture.completedFuture(0);
    }

    /**
     * What a local subscription to {@code channelOrPattern} waits for before publications of other nodes
     * surely reach it: {@code null} when nothing (a node alone, a bus that listens there already, or one
     * that is down and cannot be asked), else a stage that completes once the bus listens there. Never
     * fails; it may never complete (Redis lost meanwhile), so a caller bounds its wait.
     */
    default CompletionStage<?> listening(String channelOrPattern) {
        return null;
    }

    /**
     * Whether this bus numbers the publications of stored channels (history, records) in one order for
     * the whole cluster ({@link #sequence}); false for a node alone, whose stored channels number their
     * own.
     */
    default boolean sequences() {
        return false;
    }

    /**
     * Sends a publication of a stored channel to be numbered in the cluster's order, kept for nodes that
     * start later, and handed to every node, this one included, through {@link Sequenced#publication}.
     * Never blocks.
     *
     * @param channel     the stored channel
     * @param publication its encoded delivery, with no position yet
     * @param newEpoch    the epoch the channel takes if the cluster has none for it yet
     * @param keep        how many of the channel's latest publications the cluster keeps (0: none)
     * @param recordId    with a storage channel, the id of the record this publication changes; else null
     * @param record      that record's fields after the change (JSON), or null when it is deleted
     * @return completes with whether it was sent
     */
    default CompletionStage<Boolean> sequence(String channel, byte[] publication, String newEpoch, int keep,
                                              String recordId, byte[] record) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Installs where numbered publications of stored channels go. A bus that {@link #sequences()} first
     * hands it what the cluster keeps (the records, then the kept publications, oldest first), so that a
     * node that starts late catches up, then everything numbered since, in order.
     */
    default void onSequenced(Sequenced sink) {
    }

    /** Receives the numbered publications of stored channels, on the bus's thread. */
    interface Sequenced {
        /** A numbered publication (an encoded delivery without position), in the cluster's order. */
        void publication(long position, String epoch, byte[] publication);

        /** A record the cluster keeps for a storage channel, handed over at start. */
        void record(String channel, String epoch, long position, byte[] record);
    }

    /** The counters of a bus that links nodes; {@code null} for {@link #NONE}. */
    default ClusterBusStats stats() {
        return null;
    }

    @Override
    void close();

    /** Where a bus hands the publications of other nodes. */
    interface RemotePublications {
        /**
         * Queues {@code payload} (an encoded delivery, as {@link Engine#publish} takes it) for every local
         * session subscribed to a pattern matching {@code channel}. BORROWS {@code payload}.
         *
         * @return how many sessions it was queued for
         */
        int deliver(String channel, ByteBuf payload);
    }
}
