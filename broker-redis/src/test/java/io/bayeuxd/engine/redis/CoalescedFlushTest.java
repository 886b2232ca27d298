package io.bayeuxd.engine.redis;

import io.lettuce.core.api.StatefulConnection;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One flush at a time: a flush asked for on a second thread while the first one is still handing its
 * commands to Lettuce must not take the commands written after them and overtake it.
 */
class CoalescedFlushTest {

    @Test
    void aFlushAskedForDuringAnotherRunsAfterItOnTheSameThread() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch letFirstGo = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        StatefulConnection<?, ?> link = connection(() -> {
            int now = inside.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                if (calls.incrementAndGet() == 1) {
                    // The first flush is held half-way, as a thread descheduled inside Lettuce's flush would be.
                    firstInside.countDown();
                    letFirstGo.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        });
        LongAdder flushes = new LongAdder();
        CoalescedFlush flush = new CoalescedFlush(link, flushes);

        // Off any event loop, written() flushes at once on the calling thread.
        Thread first = new Thread(flush::written, "first-loop");
        first.start();
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();

        Thread second = new Thread(flush::written, "second-loop");
        second.start();
        second.join(10_000);
        assertThat(second.isAlive()).as("the second flush left its work to the first and returned").isFalse();
        assertThat(calls.get()).as("nothing flushed beside the held flush").isEqualTo(1);

        letFirstGo.countDown();
        first.join(10_000);
        assertThat(calls.get()).as("the first thread flushed again for the second").isEqualTo(2);
        assertThat(mostAtOnce.get()).as("flushes running at once").isEqualTo(1);
        assertThat(flushes.sum()).isEqualTo(2);
    }

    @Test
    void aFailingFlushDoesNotStopTheNextOnes() {
        AtomicInteger calls = new AtomicInteger();
        StatefulConnection<?, ?> link = connection(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("connection closed");
            }
        });
        CoalescedFlush flush = new CoalescedFlush(link, new LongAdder());
        flush.written();
        flush.written();
        assertThat(calls.get()).isEqualTo(2);
    }

    /** A connection whose flushCommands runs {@code onFlush}; every other method does nothing. */
    @SuppressWarnings("unchecked")
    private static StatefulConnection<?, ?> connection(Runnable onFlush) {
        return (StatefulConnection<?, ?>) Proxy.newProxyInstance(CoalescedFlushTest.class.getClassLoader(),
                new Class<?>[] {StatefulConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("flushCommands")) {
                        onFlush.run();
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }
}
