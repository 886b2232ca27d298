package io.bayeuxd.ops;

import io.netty.channel.ChannelHandler;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes in and out and open connections by transport, for one server. Updated by a
 * {@link ConnectionMeter} at the head of every connection's pipeline (one striped add per read or write
 * call, not per message) and read when metrics are scraped.
 */
public final class ConnectionStats {
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder sentBytes = new LongAdder();
    final LongAdder openHttp = new LongAdder();
    final LongAdder openWebSocket = new LongAdder();

    /** A meter for one new connection; it must be first in the pipeline, so that it sees raw bytes. */
    public ChannelHandler newMeter() {
        return new ConnectionMeter(this);
    }

    long receivedBytes() {
        return receivedBytes.sum();
    }

    long sentBytes() {
        return sentBytes.sum();
    }

    /** Open connections that still speak HTTP: polling clients, scrapes, probes. */
    long openHttp() {
        return openHttp.sum();
    }

    /** Open connections upgraded to WebSocket. */
    long openWebSocket() {
        return openWebSocket.sum();
    }
}
