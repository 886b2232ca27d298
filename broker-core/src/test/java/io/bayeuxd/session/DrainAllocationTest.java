package io.bayeuxd.session;

import io.bayeuxd.protocol.SharedDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain copies each queued delivery into the frame without garbage of its own: it is run once per
 * subscriber of every publication. Counted in bytes allocated by this thread (exact, not timed), over
 * many rounds so that the JIT's work and one-off growth do not count.
 */
class DrainAllocationTest {
    private static final int ROUNDS = 20_000;

    @Test
    void drainingASharedDeliveryIntoAPooledFrameAllocatesNothingPerMessage() {
        // The tests run with the leak detector at PARANOID, which records every access to a buffer: what
        // the server runs without. This test's own buffers are not tracked, and it releases them itself.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void measure() {
        com.sun.management.ThreadMXBean threads = threadBean();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        Session session = new Session("c1", false, 64, 0);
        ByteBuf frame = alloc.directBuffer(1024);
        ByteBuf encoded = alloc.directBuffer(256);
        encoded.writeLong(0).writeBytes("{\"channel\":\"/a\",\"data\":{\"n\":1}}".getBytes(StandardCharsets.UTF_8));
        encoded.readerIndex(Long.BYTES);
        SharedDelivery delivery = new SharedDelivery(encoded);
        try {
            roundTrips(session, delivery, frame, ROUNDS);   // warm-up
            long before = threads.getCurrentThreadAllocatedBytes();
            roundTrips(session, delivery, frame, ROUNDS);
            long perMessage = (threads.getCurrentThreadAllocatedBytes() - before) / ROUNDS;
            assertThat(frame.toString(StandardCharsets.UTF_8)).isEqualTo("{\"channel\":\"/a\",\"data\":{\"n\":1}}");
            // A copy from the wrapper instead of the wrapped buffer costs a 64-byte NIO view per message.
            assertThat(perMessage).as("bytes allocated per message queued and drained").isLessThan(16);
        } finally {
            session.close();
            delivery.release();
            frame.release();
        }
    }

    private static void roundTrips(Session session, SharedDelivery delivery, ByteBuf frame, int rounds) {
        for (int i = 0; i < rounds; i++) {
            frame.clear();
            delivery.retain();
            if (!session.offer(delivery)) {
                delivery.release();
                throw new AssertionError("the outbox refused a message");
            }
            if (session.drainInto(frame, 10, false) != 1) {
                throw new AssertionError("the drain took no message");
            }
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
                || !bean.isThreadAllocatedMemorySupported()) {
            Assumptions.abort("this JVM does not count the bytes a thread allocates");
            throw new IllegalStateException();
        }
        bean.setThreadAllocatedMemoryEnabled(true);
        return bean;
    }
}
