package io.bayeuxd.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenTheRate() {
        RateLimiter l = new RateLimiter(10, 3);
        long t = 5 * SECOND;
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).isFalse();
        assertThat(l.tryAcquire(t + SECOND / 10)).isTrue();
        assertThat(l.tryAcquire(t + SECOND / 10)).isFalse();
        assertThat(l.isIdle(t + SECOND)).isTrue();
        assertThat(l.tryAcquire(t + SECOND)).isTrue();
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBurst() throws Exception {
        RateLimiter l = new RateLimiter(1, 50);
        java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 1000; k++) {
                    if (l.tryAcquire(SECOND)) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(granted.get()).isEqualTo(50);
    }
}
