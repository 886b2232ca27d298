package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerFrameParserTest {

    private final ServerFrameParser parser = new ServerFrameParser();
    private final List<String> seen = new ArrayList<>();
    /** Copies what the test needs, since the parser reuses its message. */
    private final ServerMessageSink sink = m -> seen.add(m.toString());
    private final List<Snapshot> messages = new ArrayList<>();
    private final ServerMessageSink snapshotSink = m -> messages.add(new Snapshot(m));

    @Test
    void readsAFayeHandshakeReply() {
        int count = parse("[{\"id\":\"1\",\"channel\":\"/meta/handshake\",\"successful\":true,\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\",\"cross-origin-long-polling\",\"callback-polling\",\"websocket\"],"
                + "\"clientId\":\"1fb2ndcbs8rf0fwhgxl7mq4x0pyr9ar\",\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":25000}}]");

        assertThat(count).isEqualTo(1);
        Snapshot m = messages.get(0);
        assertThat(m.kind).isEqualTo(ServerMessage.Kind.HANDSHAKE);
        assertThat(m.successful).isTrue();
        assertThat(m.clientId).isEqualTo("1fb2ndcbs8rf0fwhgxl7mq4x0pyr9ar");
        assertThat(m.reconnect).isEqualTo(ServerMessage.Reconnect.RETRY);
        assertThat(m.intervalMs).isZero();
        assertThat(m.timeoutMs).isEqualTo(25_000);
        assertThat(m.hasData).isFalse();
    }

    @Test
    void readsDeliveriesMixedWithMetaRepliesInOrder() {
        int count = parse("[{\"channel\":\"/bench/3\",\"data\":{\"ts\":123456789,\"seq\":42,\"pad\":\"xxxxxxxx\"},\"id\":\"9\"},"
                + "{\"id\":\"7\",\"clientId\":\"abc\",\"channel\":\"/meta/connect\",\"successful\":true,\"advice\":{\"reconnect\":\"retry\"}},"
                + "{\"data\":{\"pad\":\"\",\"seq\":43,\"ts\":123456999},\"channel\":\"/bench/3\"}]");

        assertThat(count).isEqualTo(3);
        assertThat(messages.get(0).kind).isEqualTo(ServerMessage.Kind.BROADCAST);
        assertThat(messages.get(0).hasTimestamp).isTrue();
        assertThat(messages.get(0).timestamp).isEqualTo(123_456_789L);
        assertThat(messages.get(0).sequence).isEqualTo(42);
        assertThat(messages.get(0).successful).isNull();
        assertThat(messages.get(1).kind).isEqualTo(ServerMessage.Kind.CONNECT);
        assertThat(messages.get(1).successful).isTrue();
        assertThat(messages.get(1).hasData).isFalse();
        assertThat(messages.get(2).timestamp).isEqualTo(123_456_999L);
        assertThat(messages.get(2).sequence).isEqualTo(43);
    }

    @Test
    void aPublishReplyIsNotADelivery() {
        parse("[{\"id\":\"5\",\"channel\":\"/bench/0\",\"successful\":true}]");

        Snapshot m = messages.get(0);
        assertThat(m.kind).isEqualTo(ServerMessage.Kind.BROADCAST);
        assertThat(m.publishReply).isTrue();
        assertThat(m.hasData).isFalse();
    }

    @Test
    void readsAnUnknownClientErrorWithHandshakeAdvice() {
        parse("[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"401::Unknown client\","
                + "\"advice\":{\"reconnect\":\"handshake\",\"interval\":1000}}]");

        Snapshot m = messages.get(0);
        assertThat(m.successful).isFalse();
        assertThat(m.error).isEqualTo("401::Unknown client");
        assertThat(m.reconnect).isEqualTo(ServerMessage.Reconnect.HANDSHAKE);
        assertThat(m.intervalMs).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/meta/subscribe", "/meta/unsubscribe", "/meta/disconnect", "/meta/whatever", "/service/echo", "/meta"})
    void classifiesChannels(String channel) {
        parse("{\"channel\":\"" + channel + "\",\"successful\":true}");

        ServerMessage.Kind expected = switch (channel) {
            case "/meta/subscribe" -> ServerMessage.Kind.SUBSCRIBE;
            case "/meta/unsubscribe" -> ServerMessage.Kind.UNSUBSCRIBE;
            case "/meta/disconnect" -> ServerMessage.Kind.DISCONNECT;
            case "/meta/whatever" -> ServerMessage.Kind.OTHER_META;
            case "/service/echo" -> ServerMessage.Kind.SERVICE;
            default -> ServerMessage.Kind.BROADCAST; // "/meta" alone is not under /meta/
        };
        assertThat(messages.get(0).kind).isEqualTo(expected);
    }

    @Test
    void skipsNestedAndUnknownMembersWithoutLosingItsPlace() {
        int count = parse("[{\"ext\":{\"ack\":{\"nested\":[1,2,{\"channel\":\"/meta/handshake\"}]}},\"channel\":\"/bench/1\","
                + "\"data\":{\"meta\":{\"ts\":1},\"ts\":77,\"list\":[{\"seq\":1}],\"seq\":8},\"advice\":{\"multiple-clients\":true,\"hosts\":[\"a\"]}},"
                + "{\"channel\":\"/meta/connect\",\"successful\":true}]");

        assertThat(count).isEqualTo(2);
        assertThat(messages.get(0).kind).isEqualTo(ServerMessage.Kind.BROADCAST);
        assertThat(messages.get(0).timestamp).isEqualTo(77);
        assertThat(messages.get(0).sequence).isEqualTo(8);
        assertThat(messages.get(1).kind).isEqualTo(ServerMessage.Kind.CONNECT);
    }

    @Test
    void foreignDataHasNoTimestamp() {
        parse("[{\"channel\":\"/chat\",\"data\":\"hello\"},{\"channel\":\"/chat\",\"data\":{\"text\":\"hi\"}},"
                + "{\"channel\":\"/chat\",\"data\":{\"ts\":\"not a number\"}}]");

        assertThat(messages).hasSize(3).allSatisfy(m -> {
            assertThat(m.hasData).isTrue();
            assertThat(m.hasTimestamp).isFalse();
        });
    }

    @Test
    void acceptsATimestampWrittenAsADouble() {
        parse("[{\"channel\":\"/bench/0\",\"data\":{\"ts\":1.23456789E8,\"seq\":1}}]");

        assertThat(messages.get(0).hasTimestamp).isTrue();
        assertThat(messages.get(0).timestamp).isEqualTo(123_456_789L);
    }

    @Test
    void anEmptyArrayHasNoMessages() {
        assertThat(parse("[]")).isZero();
        assertThat(messages).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "42", "\"text\"", "[1,2]", "[{\"channel\":\"/a\"},", "{\"channel\":", "<html>", "[{\"channel\":\"/a\"}]]"})
    void reportsMalformedFramesWithAReturnCode(String frame) {
        int count = parse(frame);

        // A trailing extra ']' is past the array the parser reads and goes unnoticed; everything else is malformed.
        if (frame.equals("[{\"channel\":\"/a\"}]]")) {
            assertThat(count).isEqualTo(1);
        } else {
            assertThat(count).isEqualTo(ServerFrameParser.MALFORMED);
        }
    }

    @Test
    void readsDirectAndCompositeBuffersWithoutMovingOrReleasingThem() {
        byte[] json = "[{\"channel\":\"/bench/0\",\"data\":{\"ts\":5,\"seq\":6}}]".getBytes(StandardCharsets.UTF_8);
        ByteBuf direct = Unpooled.directBuffer().writeBytes(json);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(json, 0, 10));
        composite.addComponent(true, Unpooled.wrappedBuffer(json, 10, json.length - 10));
        try {
            assertThat(parser.parse(direct, snapshotSink)).isEqualTo(1);
            assertThat(parser.parse(composite, snapshotSink)).isEqualTo(1);
            assertThat(direct.readerIndex()).isZero();
            assertThat(direct.refCnt()).isEqualTo(1);
            assertThat(composite.readerIndex()).isZero();
            assertThat(messages).extracting(m -> m.timestamp).containsExactly(5L, 5L);
        } finally {
            direct.release();
            composite.release();
        }
    }

    @Test
    void readsFromTheReaderIndexOfASlicedHeapBuffer() {
        ByteBuf buf = Unpooled.buffer().writeBytes("garbage[{\"channel\":\"/meta/connect\",\"successful\":true}]".getBytes(StandardCharsets.UTF_8));
        try {
            buf.readerIndex("garbage".length());
            assertThat(parser.parse(buf, snapshotSink)).isEqualTo(1);
            assertThat(messages.get(0).kind).isEqualTo(ServerMessage.Kind.CONNECT);
        } finally {
            buf.release();
        }
    }

    @Test
    void resetsFieldsBetweenMessages() {
        parse("[{\"channel\":\"/meta/handshake\",\"successful\":true,\"clientId\":\"c1\",\"advice\":{\"interval\":5}},"
                + "{\"channel\":\"/bench/0\",\"data\":{}}]");

        Snapshot second = messages.get(1);
        assertThat(second.clientId).isNull();
        assertThat(second.successful).isNull();
        assertThat(second.intervalMs).isEqualTo(-1);
        assertThat(second.hasData).isTrue();
        assertThat(second.hasTimestamp).isFalse();
        assertThat(seen).isEmpty();
        assertThat(parser.parse(Unpooled.wrappedBuffer("[{}]".getBytes(StandardCharsets.UTF_8)), sink)).isEqualTo(1);
        assertThat(seen.get(0)).contains("kind=NONE");
    }

    private int parse(String json) {
        ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            return parser.parse(buf, snapshotSink);
        } finally {
            buf.release();
        }
    }

    /** An immutable copy of what the parser produced. */
    private static final class Snapshot {
        final ServerMessage.Kind kind;
        final Boolean successful;
        final String clientId;
        final String error;
        final ServerMessage.Reconnect reconnect;
        final long intervalMs;
        final long timeoutMs;
        final boolean hasData;
        final boolean hasTimestamp;
        final long timestamp;
        final long sequence;
        final boolean publishReply;

        Snapshot(ServerMessage m) {
            kind = m.kind;
            successful = m.successful;
            clientId = m.clientId;
            error = m.error;
            reconnect = m.reconnect;
            intervalMs = m.adviceIntervalMs;
            timeoutMs = m.adviceTimeoutMs;
            hasData = m.hasData;
            hasTimestamp = m.hasTimestamp;
            timestamp = m.timestamp;
            sequence = m.sequence;
            publishReply = m.isPublishReply();
        }
    }
}
