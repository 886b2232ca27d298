package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.ClusterBusStats;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** The Redis bus's counters; each is a {@link LongAdder} written where the event happens. */
final class BusStats implements ClusterBusStats {
    final LongAdder sent = new LongAdder();
    final LongAdder sentBytes = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder undelivered = new LongAdder();
    final LongAdder commands = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder flushes = new LongAdder();
    volatile LongConsumer roundTrips = nanos -> { };

    @Override
    public long publicationsSent() {
        return sent.sum();
    }

    @Override
    public long bytesSent() {
        return sentBytes.sum();
    }

    @Override
    public long publicationsReceived() {
        return received.sum();
    }

    @Override
    public long bytesReceived() {
        return receivedBytes.sum();
    }

    @Override
    public long deliveries() {
        return deliveries.sum();
    }

    @Override
    public long undelivered() {
        return undelivered.sum();
    }

    @Override
    public long commands() {
        return commands.sum();
    }

    @Override
    public long flushes() {
        return flushes.sum();
    }

    @Override
    public long reconnects() {
        return reconnects.sum();
    }

    @Override
    public void onRoundTrip(LongConsumer nanos) {
        roundTrips = nanos;
    }
}
