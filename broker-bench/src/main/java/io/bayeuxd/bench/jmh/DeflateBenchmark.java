package io.bayeuxd.bench.jmh;

import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.SharedDelivery;
import io.bayeuxd.transport.websocket.DeflatedFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
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

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Step 6 for a {@code permessage-deflate} WebSocket: what one delivery of a 1 KB Webix-like record to one
 * compressed connection costs, written as a push frame {@code [record]}.
 *
 * <ul>
 *   <li>{@code perConnection}: the plain frame through Netty's per-message deflate encoder as the broker
 *       negotiates it ({@code server_no_context_takeover}): what every subscriber pays with
 *       {@code --websocket-compress-once false};</li>
 *   <li>{@code compressOnceShared}: the frame from {@link DeflatedFrames} for a delivery whose compressed
 *       copy is already kept: what every subscriber but the first pays by default;</li>
 *   <li>{@code compressOnceFirst}: the same for a delivery compressed right then (a fresh copy of the
 *       encoded record each op, compressed and kept): what the first subscriber pays, once per publication.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DeflateBenchmark {
    /** A Webix grid row with free text, about 1 KB of JSON, as {@code CompressionWireBytesTest}'s. */
    static final String RECORD = "{\"id\":17,\"title\":\"vertigo night\",\"year\":1958,\"votes\":412877,\"rating\":8.3,"
            + "\"rank\":61,\"category\":\"thriller\",\"owner\":\"user-0417\",\"updated\":\"2026-12-04T02:11:39Z\",\"notes\":\""
            + ("the man in the house of the city at night a story of vertigo and rope from the director with the cast "
            + "of rear window review rating release mystery drama romance crime western last first day woman ").repeat(4)
            + "\"}";

    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    final DeflatedFrames frames = new DeflatedFrames();
    ByteBuf delivery;
    EmbeddedChannel netty;

    @Setup
    public void setUp() {
        byte[] publish = ("[{\"channel\":\"/data\",\"data\":" + RECORD + ",\"id\":\"7\"}]").getBytes(StandardCharsets.UTF_8);
        Message publication = new BayeuxDecoder().decode(publish, 0, publish.length).get(0);
        delivery = new BayeuxEncoder().encodeDelivery(publication, alloc);
        // Compressed once here, as by the first subscriber; compressOnceShared reuses it.
        releaseFrame(sharedFrame());
        WebSocketServerExtension extension = new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, false)
                .handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of("server_no_context_takeover", "")));
        netty = new EmbeddedChannel(extension.newExtensionEncoder());
    }

    @TearDown
    public void tearDown() {
        netty.finishAndReleaseAll();
        delivery.release();
    }

    @Benchmark
    public int perConnection() {
        ByteBuf frame = alloc.buffer(delivery.readableBytes() + 2);
        frame.writeByte('[').writeBytes(delivery, delivery.readerIndex(), delivery.readableBytes()).writeByte(']');
        netty.writeOutbound(new TextWebSocketFrame(frame));
        TextWebSocketFrame compressed = netty.readOutbound();
        int size = compressed.content().readableBytes();
        compressed.release();
        return size;
    }

    @Benchmark
    public int compressOnceShared() {
        return releaseFrame(sharedFrame());
    }

    @Benchmark
    public int compressOnceFirst() {
        ByteBuf fresh = new SharedDelivery(alloc.buffer(delivery.readableBytes()).writeBytes(delivery, delivery.readerIndex(),
                delivery.readableBytes()));
        try {
            ByteBuf out = alloc.buffer(delivery.readableBytes());
            frames.open(out);
            frames.writeElement(out, fresh, true);
            frames.close(out);
            return releaseFrame(out);
        } finally {
            fresh.release();
        }
    }

    private ByteBuf sharedFrame() {
        ByteBuf out = alloc.buffer(delivery.readableBytes());
        frames.open(out);
        frames.writeElement(out, delivery, true);
        frames.close(out);
        return out;
    }

    private static int releaseFrame(ByteBuf frame) {
        int size = frame.readableBytes();
        frame.release();
        return size;
    }
}
