package io.bayeuxd.bench.soak;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the driver's side of the soak, shared by every client; written on the event loops,
 * read by the orchestrating and sampling threads. Losses are not here: they are in the
 * {@link DeliveryLedger}.
 */
final class SoakStats {

    // Well-behaved subscribers and publishers.
    final AtomicInteger subscribersSubscribed = new AtomicInteger();
    final AtomicInteger publishersReady = new AtomicInteger();
    /** Well-behaved clients currently holding a session (handshaken, not yet disconnected). */
    final AtomicInteger wellBehavedSessions = new AtomicInteger();
    /** Anything that went wrong for a well-behaved client: a refused request, a dropped connection. */
    final LongAdder wellBehavedFailures = new LongAdder();
    final AtomicReference<String> lastWellBehavedFailure = new AtomicReference<>();
    final LongAdder published = new LongAdder();
    final LongAdder publishAcked = new LongAdder();
    final LongAdder publishRefused = new LongAdder();
    /** Publishes that could not be written because the publisher's link was down: never sent, not owed. */
    final LongAdder publishNotSent = new LongAdder();
    final LongAdder disconnectsAcked = new LongAdder();

    // Churn.
    final LongAdder churnStarted = new LongAdder();
    final AtomicInteger churnAlive = new AtomicInteger();
    final LongAdder churnLeftPolitely = new LongAdder();
    final LongAdder churnLeftAbruptly = new LongAdder();
    final LongAdder churnLongPolling = new LongAdder();
    final LongAdder churnWithDelivery = new LongAdder();
    final LongAdder churnDeliveries = new LongAdder();
    final LongAdder churnFailed = new LongAdder();
    final AtomicReference<String> lastChurnFailure = new AtomicReference<>();
    /** Spawns skipped because {@code churnMaxAlive} clients were still alive. */
    final LongAdder churnSkipped = new LongAdder();

    // Slow consumers.
    final LongAdder slowStarted = new LongAdder();
    final LongAdder slowStalled = new LongAdder();
    final AtomicInteger slowAlive = new AtomicInteger();
    final LongAdder slowFailed = new LongAdder();
    final AtomicReference<String> lastSlowFailure = new AtomicReference<>();

    // Garbage.
    final LongAdder garbageSent = new LongAdder();

    final LongAdder malformedFrames = new LongAdder();

    void wellBehavedFailure(String detail) {
        wellBehavedFailures.increment();
        lastWellBehavedFailure.set(detail);
    }

    void churnFailure(String detail) {
        churnFailed.increment();
        lastChurnFailure.set(detail);
    }

    void slowFailure(String detail) {
        slowFailed.increment();
        lastSlowFailure.set(detail);
    }
}
