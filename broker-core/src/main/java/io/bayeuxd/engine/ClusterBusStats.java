package io.bayeuxd.engine;

import java.util.function.LongConsumer;

/** What a {@link ClusterBus} that talks to other nodes counts, for the metrics endpoint. */
public interface ClusterBusStats {
    /** Publications of this node handed to the bus's server (Redis). */
    long publicationsSent();

    long bytesSent();

    /** Publications of other nodes received (each once, however many of its patterns matched). */
    long publicationsReceived();

    long bytesReceived();

    /** Copies of other nodes' publications queued for local sessions. */
    long deliveries();

    /** Publications of this node that could not be sent to other nodes (link down, too much in flight, an error). */
    long undelivered();

    /** Commands sent to the bus's server: publishes, subscribes and unsubscribes. */
    long commands();

    /**
     * Writes that carried this node's publications to the bus's server: each carries every publication
     * made since the one before, so under load there are far fewer than publications sent.
     */
    long flushes();

    /** Times the link came back after being lost. */
    long reconnects();

    /** Installs what records each publish's round trip to the bus's server, in nanoseconds. */
    void onRoundTrip(LongConsumer nanos);
}
