package io.bayeuxd.bench.jmh;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Steps 4 to 6 for one publication: encoded once, fanned out by {@link MemoryEngine#publish} to every
 * subscriber's outbox, and every outbox drained, so that they never fill and each op does the same
 * work.
 *
 * <p>All {@code subscribers} sessions subscribe to {@code /chat/room42} by name. Outboxes and frames
 * have the server's default sizes unless {@code outboxCapacity} is set. No delivery target is
 * attached, so an offer schedules no drain: the benchmark drains every session itself, in turn, on
 * the publishing thread. What is left out is the event loop's task queue and the socket write.
 *
 * <p>Per subscriber: divide the time and {@code gc.alloc.rate.norm} by {@code subscribers}, or, to
 * leave out the fixed cost of a publish, take the difference between the 10,000 and the 1 subscriber
 * runs and divide it by 9,999 ({@code docs/jmh.md} does both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FanoutBenchmark {
    @Param({"1", "100", "10000"})
    int subscribers;

    /**
     * Slots in each session's outbox, preallocated by its queue; the server's default
     * ({@code BrokerConfig}). A knob for experiments: {@code -p outboxCapacity=64}.
     */
    @Param({"4096"})
    int outboxCapacity;

    /**
     * With metrics on, as the server runs: each publication carries its publish time and every frame is
     * reported to the Micrometer-backed recorder (latency timer, outbox depth, counters). Off: neither.
     * The difference is what metrics cost on the publish-to-write path.
     */
    @Param({"false", "true"})
    boolean metrics;

    /** The server's allocator; a test swaps in one that records every buffer. */
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private final BrokerConfig config = BrokerConfig.defaults();
    private final BayeuxEncoder encoder = new BayeuxEncoder();
    private FrameWriter frames;
    MemoryEngine engine;
    Session[] sessions;
    Message publication;
    /** The drained bytes go here, cleared after each session: a stand-in for the socket. */
    ByteBuf frame;

    @Setup
    public void setUp() {
        engine = new MemoryEngine(outboxCapacity);
        if (metrics) {
            Broker broker = new Broker(config, engine, encoder, alloc, System::nanoTime);
            frames = new FrameWriter(encoder, config.maxMessagesPerFrame(), new BrokerMetrics(broker, new Readiness()).webSocketRecorder());
        } else {
            frames = new FrameWriter(encoder, config.maxMessagesPerFrame());
        }
        sessions = new Session[subscribers];
        for (int i = 0; i < subscribers; i++) {
            sessions[i] = engine.createSession(false, 0L);
            engine.subscribe(sessions[i], SampleMessages.CHANNEL);
        }
        publication = SampleMessages.publication();
        frame = alloc.buffer(1024);
    }

    @TearDown
    public void tearDown() {
        // Closes every session, releasing anything still queued. Not engine.close(): it unsubscribes each
        // session, copying the channel's subscriber array every time, about 200 MB for 10,000 subscribers,
        // and JMH counts a trial's tear-down in the last measured iteration's gc.alloc.rate.norm.
        for (Session session : sessions) {
            session.close();
        }
        frame.release();
    }

    /**
     * One op: {@code encodeDelivery} once, {@code MemoryEngine.publish} to all subscribers, then each
     * session's {@code drainInto} into the one reused frame buffer.
     */
    @Benchmark
    public int publishAndDrain() {
        publish();
        int delivered = 0;
        for (Session session : sessions) {
            delivered += session.drainInto(frame, config.maxMessagesPerFrame(), false);
            frame.clear();
        }
        return delivered;
    }

    /**
     * One op: as {@link #publishAndDrain}, but each session is drained the way the WebSocket transport
     * does it, into a new frame from {@link FrameWriter#messagesFrame}, which is then released (where
     * the transport would write it).
     */
    @Benchmark
    public int publishAndFrame() {
        publish();
        int bytes = 0;
        for (Session session : sessions) {
            ByteBuf out = frames.messagesFrame(alloc, session);
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }

    /** Encodes once and fans out; the publisher's own reference is released as {@code PublishHandler} does. */
    private void publish() {
        ByteBuf payload = metrics ? encoder.encodeDelivery(publication, alloc, System.nanoTime())
                : encoder.encodeDelivery(publication, alloc);
        try {
            int queued = engine.publish(SampleMessages.CHANNEL, payload);
            if (queued != subscribers) {
                throw new IllegalStateException("queued for " + queued + " of " + subscribers + " subscribers");
            }
        } finally {
            payload.release();
        }
    }
}
