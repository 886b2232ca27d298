package io.bayeuxd.bench.loadgen;

/**
 * Open-loop schedule of evenly spaced events: event {@code k} (counting from 0) is due at
 * {@code startNs + k * 1e9 / ratePerSec}, computed exactly in integer arithmetic.
 *
 * <p>The pacer does not sleep and does not read a clock; callers pass the current time. It never
 * skips events: when the caller falls behind, every missed event becomes due at once and keeps its
 * original scheduled time. Stamping messages with {@link #scheduledTimeNs(long)} rather than the
 * actual send time is what keeps latency honest when the sender (or the server pushing back on it)
 * stalls, the problem known as coordinated omission.
 *
 * <p>Not thread-safe: one pacer belongs to one thread.
 */
public final class RatePacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Highest supported rate; keeps every intermediate product below {@code Long.MAX_VALUE}. */
    static final long MAX_RATE_PER_SEC = 1_000_000_000L;

    private final long ratePerSec;
    private final long startNs;
    private long issued;

    /**
     * @param ratePerSec events per second, in [1, {@link #MAX_RATE_PER_SEC}]
     * @param startNs    scheduled time of event 0, in the caller's clock
     */
    public RatePacer(long ratePerSec, long startNs) {
        if (ratePerSec < 1 || ratePerSec > MAX_RATE_PER_SEC) {
            throw new IllegalArgumentException("ratePerSec must be in [1, " + MAX_RATE_PER_SEC + "]: " + ratePerSec);
        }
        this.ratePerSec = ratePerSec;
        this.startNs = startNs;
    }

    /** Scheduled time of event {@code k}; exact and overflow-free for rates up to {@link #MAX_RATE_PER_SEC}. */
    long scheduledTimeNs(long k) {
        long wholeSeconds = k / ratePerSec;
        long remainder = k % ratePerSec;
        return startNs + wholeSeconds * NANOS_PER_SECOND + remainder * NANOS_PER_SECOND / ratePerSec;
    }

    /** Number of events whose scheduled time is at or before {@code nowNs} and not yet issued. */
    public long dueCount(long nowNs) {
        if (nowNs < startNs) {
            return 0;
        }
        // Event k is due when floor(k * 1e9 / rate) <= elapsed, that is for k < (elapsed + 1) * rate / 1e9;
        // the count is that bound rounded up, split into whole seconds so that nothing overflows.
        long elapsedPlusOneNs = nowNs - startNs + 1;
        long wholeSeconds = elapsedPlusOneNs / NANOS_PER_SECOND;
        long remainderNs = elapsedPlusOneNs % NANOS_PER_SECOND;
        long dueTotal = wholeSeconds * ratePerSec + (remainderNs * ratePerSec + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return Math.max(0, dueTotal - issued);
    }

    /** Scheduled time of the next event to issue. */
    long nextScheduledTimeNs() {
        return scheduledTimeNs(issued);
    }

    /** Nanoseconds from {@code nowNs} until the next event is due; 0 when it is already due. */
    public long nanosUntilNext(long nowNs) {
        return Math.max(0, nextScheduledTimeNs() - nowNs);
    }

    /** Marks the next event as issued and returns its scheduled time. */
    public long issueNext() {
        return scheduledTimeNs(issued++);
    }

    long issuedCount() {
        return issued;
    }
}
