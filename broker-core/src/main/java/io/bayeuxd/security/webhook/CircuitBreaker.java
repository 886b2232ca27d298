package io.bayeuxd.security.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Stops asking a backend that keeps failing: after {@code threshold} failures in a row it is open for
 * {@code coolDownNanos}, and every question is refused at once. Then questions go through again; the
 * first success closes it, a failure opens it for another cool-down. Opening and closing are logged once
 * each. Lock-free: any thread may report and ask.
 */
final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final long CLOSED = Long.MIN_VALUE;

    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    /** When the breaker opened ({@link #CLOSED}: it is closed). */
    private final AtomicLong openedAt = new AtomicLong(CLOSED);

    CircuitBreaker(int threshold, long coolDownNanos, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
        this.nanoClock = nanoClock;
    }

    /** Whether a question may go to the backend now. */
    boolean allows() {
        long opened = openedAt.get();
        return opened == CLOSED || nanoClock.getAsLong() - opened >= coolDownNanos;
    }

    void succeeded() {
        failuresInARow.set(0);
        if (openedAt.getAndSet(CLOSED) != CLOSED) {
            log.info("The auth webhook answers again; asking it again");
        }
    }

    void failed() {
        int failures = failuresInARow.incrementAndGet();
        long opened = openedAt.get();
        if (opened == CLOSED) {
            if (failures >= threshold && openedAt.compareAndSet(CLOSED, nanoClock.getAsLong())) {
                log.warn("The auth webhook failed {} times in a row: denying without asking for {} ms",
                        failures, coolDownNanos / 1_000_000);
            }
        } else if (nanoClock.getAsLong() - opened >= coolDownNanos) {
            // A question let through after the cool-down failed too: another cool-down, logged already.
            openedAt.compareAndSet(opened, nanoClock.getAsLong());
        }
    }

    boolean isOpen() {
        return !allows();
    }
}
