package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.protocol.SharedDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DeflatedFrames}: a frame of independently compressed pieces inflates, as RFC 7692 has a client
 * inflate a message (the empty stored block put back at its end), to exactly the JSON array of its messages;
 * each shared delivery is compressed once and its copy reused; and a socket whose pushes use it writes them
 * with RSV1 set.
 */
class DeflatedFramesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFrameOfPiecesInflatesToTheArrayOfItsMessages() throws Exception {
        DeflatedFrames frames = new DeflatedFrames();
        List<ByteBuf> messages = List.of(delivery("{\"channel\":\"/a\",\"data\":{\"text\":\"" + "héllo wörld ".repeat(40) + "\"}}"),
                delivery("{\"channel\":\"/a\",\"data\":2}"), Unpooled.copiedBuffer("{\"channel\":\"/b\",\"data\":[3]}", StandardCharsets.UTF_8));
        try {
            assertThat(inflate(frame(frames, messages))).isEqualTo("[" + text(messages.get(0)) + "," + text(messages.get(1)) + ","
                    + text(messages.get(2)) + "]");
            assertThat(frames.messagesCompressed()).isEqualTo(2);
            assertThat(frames.messagesCompressedUnshared()).isEqualTo(1);
            assertThat(frames.compressedCopiesReused()).isZero();

            // Another socket's frame of the first two: their kept copies, compressed no more.
            assertThat(inflate(frame(frames, messages.subList(0, 2)))).isEqualTo("[" + text(messages.get(0)) + "," + text(messages.get(1)) + "]");
            assertThat(frames.messagesCompressed()).isEqualTo(2);
            assertThat(frames.compressedCopiesReused()).isEqualTo(2);
            assertThat(((SharedDelivery) messages.get(0)).deflated().readableBytes()).isLessThan(messages.get(0).readableBytes() / 4);
        } finally {
            messages.forEach(ByteBuf::release);
        }
    }

    @Test
    void pushesOfACompressedSocketCarryRsv1AndInflateToTheMessages() throws Exception {
        try (EmbeddedWebSockets sockets = new EmbeddedWebSockets()) {
            EmbeddedChannel sub = sockets.socket(new DeflatedFrames());
            String id = EmbeddedWebSockets.send(sub, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                    + "\"supportedConnectionTypes\":[\"websocket\"]}]").get(0).get("clientId").asText();
            EmbeddedWebSockets.send(sub, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/feed\"}]");
            EmbeddedWebSockets.send(sub, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]");
            EmbeddedChannel pub = sockets.socket();
            EmbeddedWebSockets.send(pub, "[{\"channel\":\"/feed\",\"data\":1},{\"channel\":\"/feed\",\"data\":{\"two\":2}}]");
            sub.runPendingTasks();

            TextWebSocketFrame pushed = sub.readOutbound();
            try {
                assertThat(pushed.rsv()).isEqualTo(WebSocketExtension.RSV1);
                List<JsonNode> got = new ArrayList<>();
                JSON.readTree(inflate(pushed.content().retain())).forEach(got::add);
                assertThat(got).extracting(m -> m.get("data").toString()).containsExactly("1", "{\"two\":2}");
            } finally {
                pushed.release();
            }
            assertThat((Object) sub.readOutbound()).isNull();
        }
    }

    private static ByteBuf delivery(String json) {
        ByteBuf bytes = ByteBufAllocator.DEFAULT.buffer();
        bytes.writeCharSequence(json, StandardCharsets.UTF_8);
        return new SharedDelivery(bytes);
    }

    private static String text(ByteBuf message) {
        return message.toString(StandardCharsets.UTF_8);
    }

    /** The frame {@code frames} builds of {@code messages}, which it borrows. */
    private static ByteBuf frame(DeflatedFrames frames, List<ByteBuf> messages) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        frames.open(out);
        for (int i = 0; i < messages.size(); i++) {
            frames.writeElement(out, messages.get(i), i == 0);
        }
        frames.close(out);
        return out;
    }

    /** Inflates a message as an RFC 7692 client does; releases {@code compressed}. */
    private static String inflate(ByteBuf compressed) throws Exception {
        byte[] in;
        try {
            in = ByteBufUtil.getBytes(compressed);
        } finally {
            compressed.release();
        }
        byte[] withTail = new byte[in.length + 4];
        System.arraycopy(in, 0, withTail, 0, in.length);
        withTail[in.length + 2] = (byte) 0xff;
        withTail[in.length + 3] = (byte) 0xff;
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(withTail);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int n;
            while ((n = inflater.inflate(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            assertThat(inflater.getRemaining()).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }
}
