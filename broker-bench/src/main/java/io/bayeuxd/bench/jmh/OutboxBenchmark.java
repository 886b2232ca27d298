package io.bayeuxd.bench.jmh;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Step 5 under contention: publisher threads offering into one session's outbox while the session's
 * single consumer drains it with {@link Session#drainInto}, as its event loop does.
 *
 * <p>One group is two producer threads and one consumer (change it with {@code -tg P,1}; on two cores,
 * {@code -tg 1,1} is the only shape that does not oversubscribe them). Every producer offers the same
 * encoded publication, taking one reference per offer as the fan-out does; the consumer copies up to
 * {@code maxMessagesPerFrame} messages into one reused frame buffer and clears it. Both sides are
 * bounded: a refused offer (outbox full) gives its reference back and yields, and so does a drain that
 * found nothing, so neither side grows anything or starves the other of a shared core.
 *
 * <p>No delivery target is attached, so {@code offer}'s {@link Session#wake()} finds none and schedules
 * nothing: this measures the queue, the reference counting on the shared buffer and the copy, not an
 * event loop's task queue.
 *
 * <p>Results: {@code outbox:offer} and {@code outbox:drain} are calls per second of each side (the
 * group's own score is their sum and means little); the counters {@code outbox:offered},
 * {@code outbox:refused} and {@code outbox:drained} are messages per second.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OutboxBenchmark {
    static final int OUTBOX_CAPACITY = BrokerConfig.defaults().outboxCapacity();
    static final int DRAIN_LIMIT = BrokerConfig.defaults().maxMessagesPerFrame();

    /** The server's allocator; a test swaps in one that records every buffer. */
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    Session session;
    /** The shared publication; this state holds one reference, each queued message one more. */
    ByteBuf payload;
    /** The consumer's frame, reused: only the single consumer thread touches it. */
    ByteBuf frame;

    @Setup(Level.Trial)
    public void setUp() {
        session = new Session(SampleMessages.CLIENT_ID, false, OUTBOX_CAPACITY, 0L);
        payload = new BayeuxEncoder().encodeDelivery(SampleMessages.publication(), alloc);
        // Room for a full batch, so the frame never grows.
        frame = alloc.buffer(DRAIN_LIMIT * (payload.readableBytes() + 1) + 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Releases what is still queued: one reference per message.
        session.close();
        frame.release();
        int refCnt = payload.refCnt();
        payload.release();
        if (refCnt != 1) {
            throw new IllegalStateException("publication has " + refCnt + " references after the run, expected 1");
        }
    }

    /** Messages per second on the producer side: accepted and refused (outbox full) offers. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class OfferCounts {
        public long offered;
        public long refused;

        @Setup(Level.Iteration)
        public void reset() {
            offered = 0;
            refused = 0;
        }
    }

    /** Messages per second on the consumer side. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class DrainCounts {
        public long drained;

        @Setup(Level.Iteration)
        public void reset() {
            drained = 0;
        }
    }

    /** One op (producer): one offer of one reference to the shared publication, accepted or refused. */
    @Benchmark
    @Group("outbox")
    @GroupThreads(2)
    public boolean offer(OfferCounts counts) {
        ByteBuf reference = payload.retain();
        if (session.offer(reference)) {
            counts.offered++;
            return true;
        }
        reference.release();
        counts.refused++;
        Thread.yield();
        return false;
    }

    /** One op (consumer): one {@code drainInto} of up to {@code maxMessagesPerFrame} messages into the frame. */
    @Benchmark
    @Group("outbox")
    @GroupThreads(1)
    public int drain(DrainCounts counts) {
        int drained = session.drainInto(frame, DRAIN_LIMIT, false);
        frame.clear();
        if (drained == 0) {
            Thread.yield();
        } else {
            counts.drained += drained;
        }
        return drained;
    }
}
