package io.bayeuxd.bench.jmh;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Step 4 and the reply side of step 6: writing JSON with {@link BayeuxEncoder}.
 *
 * <p>Per thread: the encoder is stateless, but the reused output buffer is not. The messages are
 * decoded once in set-up, so their {@code data} and {@code id} are the raw bytes a real publish carries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EncodeBenchmark {
    /** The server's allocator; a test swaps in one that records every buffer. */
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private final BayeuxEncoder encoder = new BayeuxEncoder();
    private final FrameWriter frames = new FrameWriter(encoder, BrokerConfig.defaults().maxMessagesPerFrame());
    Message publication;
    List<Message> replies;
    ByteBuf out;

    @Setup
    public void setUp() {
        publication = SampleMessages.publication();
        replies = SampleMessages.publishReplies(DecodeBenchmark.BATCH_SIZE);
        out = alloc.buffer(4096);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    /**
     * One op: {@code encodeDelivery} of one publication with 100 bytes of data into a new buffer of its
     * exact size from the allocator, then releasing it; what a publish pays once, whatever its fan-out.
     */
    @Benchmark
    public int encodeDelivery() {
        ByteBuf encoded = encoder.encodeDelivery(publication, alloc);
        int size = encoded.readableBytes();
        encoded.release();
        return size;
    }

    /**
     * One op: {@code writeArray} of the ten replies to a publish batch
     * ({@code {"id","clientId","channel","successful":true}} each) into a reused buffer: the encoder
     * alone.
     */
    @Benchmark
    public int writeReplyArray() {
        out.clear();
        encoder.writeArray(replies, out);
        return out.writerIndex();
    }

    /**
     * One op: the same ten replies as a frame from {@link FrameWriter#frame} with no session, as a
     * transport answers a publish batch: a new buffer from the allocator, the array written, the buffer
     * released (where the transport would hand it to Netty).
     */
    @Benchmark
    public int replyFrame() {
        ByteBuf frame = frames.frame(alloc, replies, null);
        int size = frame.readableBytes();
        frame.release();
        return size;
    }
}
