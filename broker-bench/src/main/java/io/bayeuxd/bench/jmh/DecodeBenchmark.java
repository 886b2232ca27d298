package io.bayeuxd.bench.jmh;

import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Step 1: a request body to {@link Message}s with {@link BayeuxDecoder#decode(ByteBuf)}.
 *
 * <p>The bodies are heap buffers, which the decoder parses in place from their backing array (a
 * direct body would first be copied into a per-thread scratch array). The decoder only reads them, so
 * one pair of buffers serves every thread. The returned list is handed to JMH, so nothing is optimised
 * away; what a decode allocates (the list, each {@code Message}, its strings and the copied
 * {@code data}/{@code id} bytes, and Jackson's parser) is what {@code gc.alloc.rate.norm} shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DecodeBenchmark {
    static final int BATCH_SIZE = 10;

    private final BayeuxDecoder decoder = new BayeuxDecoder();
    ByteBuf publishBatch;
    ByteBuf connect;

    @Setup
    public void setUp() {
        publishBatch = Unpooled.wrappedBuffer(SampleMessages.publishBatch(BATCH_SIZE));
        connect = Unpooled.wrappedBuffer(SampleMessages.connect());
    }

    @TearDown
    public void tearDown() {
        publishBatch.release();
        connect.release();
    }

    /** One op: decoding a batch of ten publishes, each with 100 bytes of data (1,891 bytes in all). */
    @Benchmark
    public List<Message> publishBatchOfTen() {
        return decoder.decode(publishBatch);
    }

    /** One op: decoding {@code [{"channel":"/meta/connect","clientId":..,"connectionType":..,"id":..}]}. */
    @Benchmark
    public List<Message> connect() {
        return decoder.decode(connect);
    }
}
