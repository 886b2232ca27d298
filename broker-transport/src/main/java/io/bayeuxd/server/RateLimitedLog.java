package io.bayeuxd.server;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Warnings about rejected input, at most one per interval, with a count of what was suppressed, so a
 * client sending garbage cannot flood the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder suppressed = new LongAdder();

    RateLimitedLog(Logger log, long intervalMs) {
        this.log = log;
        this.intervalNanos = intervalMs * 1_000_000L;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
            long skipped = suppressed.sumThenReset();
            if (skipped > 0) {
                log.warn("({} similar warnings suppressed)", skipped);
            }
            log.warn(format, args);
        } else {
            suppressed.increment();
        }
    }
}
