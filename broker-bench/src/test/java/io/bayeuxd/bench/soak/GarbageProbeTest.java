package io.bayeuxd.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageProbeTest {

    private static final GarbageKind.Target TARGET = new GarbageKind.Target("127.0.0.1:8000", "/", 4096);
    private final List<String> outcomes = new ArrayList<>();

    private EmbeddedChannel probe(GarbageKind kind, long deadlineMs) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new GarbageProbe(kind, TARGET, deadlineMs, (p, outcome) -> outcomes.add(p.kind() + " " + outcome)));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    private static String written(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    private static void answer(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void anHttpKindReportsTheStatusOnceTheHeadersAreIn() {
        EmbeddedChannel channel = probe(GarbageKind.NOT_HTTP, 5_000);
        assertThat(written(channel)).startsWith("THIS IS NOT HTTP");

        answer(channel, "HTTP/1.1 400 Bad".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(outcomes).isEmpty();
        answer(channel, " Request\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(outcomes).containsExactly("NOT_HTTP http 400");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aWebSocketKindSendsItsFrameAfterThe101AndReportsTheCloseCode() {
        EmbeddedChannel channel = probe(GarbageKind.WS_BINARY_FRAME, 5_000);
        assertThat(written(channel)).startsWith("GET / HTTP/1.1");

        answer(channel, "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        ByteBuf frame = channel.readOutbound();
        assertThat(frame.getByte(0) & 0x0F).isEqualTo(0x2);
        frame.release();
        assertThat(outcomes).isEmpty();

        answer(channel, new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xEB});
        assertThat(outcomes).containsExactly("WS_BINARY_FRAME close 1003");
    }

    @Test
    void aRefusedUpgradeIsReportedAsSuch() {
        EmbeddedChannel channel = probe(GarbageKind.WS_OVERSIZED, 5_000);
        written(channel);

        answer(channel, "HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(outcomes).containsExactly("WS_OVERSIZED upgrade http 403");
    }

    @Test
    void silenceUntilTheDeadlineIsNoAnswerAndACloseIsClosed() {
        EmbeddedChannel silent = probe(GarbageKind.HALF_REQUEST, 1_000);
        written(silent);
        silent.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        assertThat(outcomes).isEmpty();
        silent.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        assertThat(outcomes).containsExactly("HALF_REQUEST no answer");

        EmbeddedChannel closed = probe(GarbageKind.HALF_REQUEST, 1_000);
        written(closed);
        closed.close();
        assertThat(outcomes).containsExactly("HALF_REQUEST no answer", "HALF_REQUEST closed");
        closed.advanceTimeBy(5, TimeUnit.SECONDS);
        closed.runScheduledPendingTasks();
        assertThat(outcomes).as("reported once").hasSize(2);
    }

    @Test
    void aProbeCutShortReportsNothing() {
        GarbageProbe[] held = new GarbageProbe[1];
        EmbeddedChannel channel = new EmbeddedChannel();
        held[0] = new GarbageProbe(GarbageKind.HALF_REQUEST, TARGET, 1_000, (p, outcome) -> outcomes.add(outcome));
        channel.pipeline().addLast(held[0]);
        channel.pipeline().fireChannelActive();
        written(channel);

        held[0].cutShort();

        assertThat(channel.isOpen()).isFalse();
        assertThat(outcomes).isEmpty();
    }
}
