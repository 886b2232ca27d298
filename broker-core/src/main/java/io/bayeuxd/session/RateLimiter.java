package io.bayeuxd.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket in its "theoretical arrival time" form (GCRA): one {@code long} and a CAS per
 * request, so it can sit on the publish path and be shared by the event loops a client's requests land
 * on. Allows {@code perSecond} requests a second with bursts of up to {@code burst}.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final long burstNanos;
    private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE);

    public RateLimiter(int perSecond, int burst) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.burstNanos = intervalNanos * (burst - 1);
    }

    /** Takes one token if there is one at {@code nowNanos}. */
    public boolean tryAcquire(long nowNanos) {
        for (;;) {
            long tat = theoreticalArrival.get();
            long base = tat == Long.MIN_VALUE || tat < nowNanos ? nowNanos : tat;
            if (base - nowNanos > burstNanos) {
                return false;
            }
            if (theoreticalArrival.compareAndSet(tat, base + intervalNanos)) {
                return true;
            }
        }
    }

    /** True when the bucket is full again at {@code nowNanos}, so forgetting it loses nothing. */
    public boolean isIdle(long nowNanos) {
        long tat = theoreticalArrival.get();
        return tat == Long.MIN_VALUE || tat <= nowNanos;
    }
}
