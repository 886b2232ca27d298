package io.bayeuxd.bench.loadgen;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by every session of a run. Sessions on different event loops add to them; the
 * orchestrating thread reads them. "Measured" counters cover only messages whose publish
 * timestamp falls inside the measurement window; "all" counters include warm-up and feed the
 * in-flight window.
 */
final class RunStats {

    final LongAdder publishedAll = new LongAdder();
    final LongAdder publishedMeasured = new LongAdder();
    /** Deliveries owed: for each publish, the subscribers on its channel at that moment. */
    final LongAdder expectedAll = new LongAdder();
    final LongAdder expectedMeasured = new LongAdder();
    final LongAdder deliveredAll = new LongAdder();
    final LongAdder deliveredMeasured = new LongAdder();
    final LongAdder publishReplies = new LongAdder();
    /** Messages with data that did not come from this generator (no {@code data.ts}). */
    final LongAdder foreignMessages = new LongAdder();
    final LongAdder rehandshakes = new LongAdder();
    /** Publisher ticks that found the in-flight window full. */
    final LongAdder windowStalls = new LongAdder();

    /** Subscribers currently subscribed, per channel; a publish owes one delivery to each. */
    final AtomicIntegerArray subscribersOnChannel;
    final AtomicInteger subscribedClients = new AtomicInteger();
    /** Subscribers subscribed again after S6's storm dropped them ({@link SubscriberSession#dropAndReconnect}). */
    final AtomicInteger resubscribedClients = new AtomicInteger();
    final AtomicInteger readyPublishers = new AtomicInteger();
    final AtomicInteger deadSessions = new AtomicInteger();

    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final AtomicReferenceArray<String> lastErrorDetail = new AtomicReferenceArray<>(ErrorKind.values().length);

    RunStats(int channels) {
        subscribersOnChannel = new AtomicIntegerArray(channels);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void error(ErrorKind kind, String detail) {
        errors.get(kind).increment();
        if (detail != null) {
            lastErrorDetail.set(kind.ordinal(), detail);
        }
    }

    long errors(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    long totalErrors() {
        long total = 0;
        for (LongAdder count : errors.values()) {
            total += count.sum();
        }
        return total;
    }

    /** The most recent detail recorded for {@code kind}, or null. */
    String lastErrorDetail(ErrorKind kind) {
        return lastErrorDetail.get(kind.ordinal());
    }

    /** Deliveries owed but not yet seen, warm-up included. */
    long outstandingDeliveries() {
        return expectedAll.sum() - deliveredAll.sum();
    }
}
