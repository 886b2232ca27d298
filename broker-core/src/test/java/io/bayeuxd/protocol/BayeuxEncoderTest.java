package io.bayeuxd.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BayeuxEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BayeuxEncoder encoder = new BayeuxEncoder();

    /** Runs {@code write} on a fresh buffer and returns what it wrote, as UTF-8 text. */
    private static String written(Consumer<ByteBuf> write) {
        ByteBuf out = Unpooled.buffer(4);
        try {
            write.accept(out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    private String json(Message m) {
        return written(out -> encoder.writeMessage(m, out));
    }

    private static byte[] writtenBytes(Consumer<ByteBuf> write) {
        ByteBuf out = Unpooled.buffer(4);
        try {
            write.accept(out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    private static JsonValue raw(String json) {
        return JsonValue.ofTrustedBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String stringJson(String s) {
        return written(out -> JsonOutput.writeString(out, s));
    }

    @Test
    void handshakeReply() {
        Message reply = new Message()
                .id(raw("\"1\""))
                .channel("/meta/handshake")
                .successful(true)
                .version("1.0")
                .supportedConnectionTypes(List.of("long-polling", "callback-polling", "websocket"))
                .clientId("x7k2")
                .advice(Advice.retry(0, 45_000));
        assertThat(json(reply)).isEqualTo("{\"id\":\"1\",\"clientId\":\"x7k2\",\"channel\":\"/meta/handshake\","
                + "\"successful\":true,\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\",\"callback-polling\",\"websocket\"],"
                + "\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":45000}}");
    }

    @Test
    void everyFieldInOrder() {
        Message m = new Message()
                .ext(raw("{\"e\":1}"))
                .data(raw("[1, 2]"))
                .advice(new Advice("none", -1L, Long.MAX_VALUE))
                .connectionType("websocket")
                .minimumVersion("1.0beta")
                .supportedConnectionTypes(List.of())
                .version("1.0")
                .subscription(List.of("/a", "/b"), true)
                .error("405:/x:Invalid channel")
                .successful(false)
                .channel("/meta/subscribe")
                .clientId("c")
                .id(raw("9"));
        assertThat(json(m)).isEqualTo("{\"id\":9,\"clientId\":\"c\",\"channel\":\"/meta/subscribe\",\"successful\":false,"
                + "\"error\":\"405:/x:Invalid channel\",\"subscription\":[\"/a\",\"/b\"],\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[],\"minimumVersion\":\"1.0beta\",\"connectionType\":\"websocket\","
                + "\"advice\":{\"reconnect\":\"none\",\"interval\":-1,\"timeout\":9223372036854775807},"
                + "\"data\":[1, 2],\"ext\":{\"e\":1}}");
    }

    @Test
    void emptyMessageIsAnEmptyObject() {
        assertThat(json(new Message())).isEqualTo("{}");
    }

    @Test
    void subscriptionIsAStringOrAnArrayAsDecoded() {
        assertThat(json(new Message().subscription(List.of("/a"), false))).isEqualTo("{\"subscription\":\"/a\"}");
        assertThat(json(new Message().subscription(List.of("/a"), true))).isEqualTo("{\"subscription\":[\"/a\"]}");
        assertThat(json(new Message().subscription(List.of(), true))).isEqualTo("{\"subscription\":[]}");
        // Not representable as one string, so an array.
        assertThat(json(new Message().subscription(List.of("/a", "/b"), false)))
                .isEqualTo("{\"subscription\":[\"/a\",\"/b\"]}");
    }

    @Test
    void adviceHoldsOnlyPresentParts() {
        assertThat(json(new Message().advice(new Advice(null, null, 0L)))).isEqualTo("{\"advice\":{\"timeout\":0}}");
        assertThat(json(new Message().advice(Advice.HANDSHAKE))).isEqualTo("{\"advice\":{\"reconnect\":\"handshake\"}}");
        assertThat(json(new Message().advice(new Advice(null, Long.MIN_VALUE, null))))
                .isEqualTo("{\"advice\":{\"interval\":-9223372036854775808}}");
        assertThat(json(new Message().advice(new Advice(null, null, null)))).isEqualTo("{\"advice\":{}}");
    }

    @Test
    void dataNullIsWrittenAndAbsentDataIsNot() {
        assertThat(json(new Message().channel("/a").data(JsonValue.NULL))).isEqualTo("{\"channel\":\"/a\",\"data\":null}");
        assertThat(json(new Message().channel("/a"))).isEqualTo("{\"channel\":\"/a\"}");
    }

    @Test
    void connectReplyAndErrorReply() {
        assertThat(json(new Message().id(raw("\"2\"")).clientId("c").channel("/meta/connect").successful(true)
                .advice(Advice.retry(0, 30_000))))
                .isEqualTo("{\"id\":\"2\",\"clientId\":\"c\",\"channel\":\"/meta/connect\",\"successful\":true,"
                        + "\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":30000}}");
        assertThat(json(new Message().channel("/meta/connect").successful(false).error(BayeuxError.clientUnknown("c"))
                .advice(Advice.HANDSHAKE)))
                .isEqualTo("{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"401:c:Unknown client\","
                        + "\"advice\":{\"reconnect\":\"handshake\"}}");
    }

    @Test
    void writeArrayJoinsMessages() {
        List<Message> messages = List.of(new Message().channel("/a"), new Message(), new Message().clientId("c"));
        assertThat(written(out -> encoder.writeArray(messages, out)))
                .isEqualTo("[{\"channel\":\"/a\"},{},{\"clientId\":\"c\"}]");
        assertThat(written(out -> encoder.writeArray(List.of(), out))).isEqualTo("[]");
    }

    @Test
    void appendsAtTheWriterIndex() {
        assertThat(written(out -> {
            out.writeBytes("/**/cb(".getBytes(StandardCharsets.US_ASCII));
            encoder.writeArray(List.of(new Message().channel("/a").successful(true)), out);
            out.writeByte(')');
        })).isEqualTo("/**/cb([{\"channel\":\"/a\",\"successful\":true}])");
    }

    @Test
    void escapesQuoteBackslashAndControlCharacters() {
        assertThat(stringJson("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(stringJson("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(stringJson("\u0000\u0001\u000b\u001f")).isEqualTo("\"\\u0000\\u0001\\u000b\\u001f\"");
        assertThat(stringJson(" ~\u007f")).isEqualTo("\" ~\u007f\"");
        assertThat(stringJson("")).isEqualTo("\"\"");
    }

    @Test
    void escapesJavaScriptLineSeparators() {
        assertThat(stringJson("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
    }

    @Test
    void writesNonAsciiAsUtf8() {
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "\u00e9\u20ac\u07ff\u0800\uffff")))
                .isEqualTo(HexFormat.of().parseHex("22" + "c3a9" + "e282ac" + "dfbf" + "e0a080" + "efbfbf" + "22"));
    }

    @Test
    void writesSurrogatePairsAsFourBytes() {
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "\uD83D\uDE00")))
                .isEqualTo(HexFormat.of().parseHex("22f09f988022"));
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "\uDBFF\uDFFF\uD800\uDC00")))
                .isEqualTo(HexFormat.of().parseHex("22f48fbfbff090808022"));
    }

    @Test
    void writesLoneSurrogatesAsReplacementCharacters() {
        String fffd = "efbfbd";
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "a\uD83Db")))
                .isEqualTo(HexFormat.of().parseHex("2261" + fffd + "6222"));
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "\uDE00")))
                .isEqualTo(HexFormat.of().parseHex("22" + fffd + "22"));
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "x\uD83D")))
                .isEqualTo(HexFormat.of().parseHex("2278" + fffd + "22"));
        // Low before high is two lone surrogates, not a pair.
        assertThat(writtenBytes(out -> JsonOutput.writeString(out, "\uDE00\uD83D")))
                .isEqualTo(HexFormat.of().parseHex("22" + fffd + fffd + "22"));
    }

    @Test
    void stringLengthIsExact() {
        for (String s : List.of("", "plain", "\"\\\n\u0001\u2028", "\u00e9\u20ac\uD83D\uDE00", "\uD83D", "a\uDE00b")) {
            assertThat(JsonOutput.stringLength(s)).as(s).isEqualTo(writtenBytes(out -> JsonOutput.writeString(out, s)).length);
        }
    }

    @Test
    void escapedStringsParseBackToTheOriginal() throws Exception {
        String s = "q\"b\\s/\b\f\n\r\t\u0000\u001f\u007f \u2028\u2029 \u00e9\u20ac\uD83D\uDE00\uD800\uDC00";
        assertThat(MAPPER.readTree(writtenBytes(out -> JsonOutput.writeString(out, s))).asText()).isEqualTo(s);
    }

    @Test
    void writesLongs() {
        for (long v : new long[] {0, 7, -7, 10, -10, 99, 100, 45_000, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1}) {
            assertThat(written(out -> JsonOutput.writeLong(out, v))).isEqualTo(Long.toString(v));
            assertThat(JsonOutput.longLength(v)).isEqualTo(Long.toString(v).length());
        }
    }

    @Test
    void deliveryHasChannelDataIdAndExtButNoClientId() {
        Message published = new Message()
                .channel("/chat/\u00e9")
                .clientId("publisher")
                .id(raw("\"5\""))
                .data(raw("{ \"text\" : \"hi\" }"))
                .ext(raw("{\"t\":1}"))
                .successful(true)
                .advice(Advice.HANDSHAKE);
        assertThat(delivered(published, UnpooledByteBufAllocator.DEFAULT))
                .isEqualTo("{\"channel\":\"/chat/\u00e9\",\"data\":{ \"text\" : \"hi\" },\"id\":\"5\",\"ext\":{\"t\":1}}");
    }

    @Test
    void deliveryOmitsAbsentIdAndExt() {
        Message published = new Message().channel("/a").clientId("c").data(JsonValue.NULL);
        assertThat(delivered(published, UnpooledByteBufAllocator.DEFAULT)).isEqualTo("{\"channel\":\"/a\",\"data\":null}");
        assertThat(delivered(published.ext(raw("{}")), UnpooledByteBufAllocator.DEFAULT))
                .isEqualTo("{\"channel\":\"/a\",\"data\":null,\"ext\":{}}");
    }

    @Test
    void deliveryIsSizedExactlyOnceAndOwnedByTheCaller() {
        for (ByteBufAllocator alloc : List.of(UnpooledByteBufAllocator.DEFAULT,
                new UnpooledByteBufAllocator(true), PooledByteBufAllocator.DEFAULT)) {
            Message published = new Message().channel("/x/\u2028\"\uD83D\uDE00\uD83D").data(raw("[\"\u00e9\", 1]"))
                    .id(raw("12")).ext(raw("{\"k\":null}"));
            ByteBuf out = encoder.encodeDelivery(published, alloc);
            try {
                assertThat(out.refCnt()).isEqualTo(1);
                assertThat(out.readerIndex()).isZero();
                assertThat(out.writerIndex()).as("exact size").isEqualTo(out.capacity());
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                        "{\"channel\":\"/x/\\u2028\\\"\uD83D\uDE00\uFFFD\",\"data\":[\"\u00e9\", 1],\"id\":12,\"ext\":{\"k\":null}}");
            } finally {
                out.release();
            }
        }
    }

    @Test
    void stampedDeliveryHasTheSameReadableBytesAndCarriesItsPublishTimeBeforeThem() {
        Message published = new Message().channel("/a").data(raw("{\"x\":1}")).id(raw("\"7\""));
        ByteBuf plain = encoder.encodeDelivery(published, PooledByteBufAllocator.DEFAULT);
        ByteBuf stamped = encoder.encodeDelivery(published, PooledByteBufAllocator.DEFAULT, -42L);
        try {
            assertThat(stamped.toString(StandardCharsets.UTF_8)).isEqualTo(plain.toString(StandardCharsets.UTF_8));
            assertThat(stamped.writerIndex()).as("exact size").isEqualTo(stamped.capacity());
            assertThat(BayeuxEncoder.publishNanos(stamped)).isEqualTo(-42L);
            assertThat(BayeuxEncoder.publishNanos(stamped.duplicate())).isEqualTo(-42L);
            assertThat(BayeuxEncoder.publishNanos(plain)).isEqualTo(BayeuxEncoder.NO_PUBLISH_TIME);
        } finally {
            plain.release();
            stamped.release();
        }
    }

    @Test
    void deliveryNeedsChannelAndData() {
        assertThatThrownBy(() -> encoder.encodeDelivery(new Message().channel("/a"), UnpooledByteBufAllocator.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encodeDelivery(new Message().data(JsonValue.NULL), UnpooledByteBufAllocator.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String delivered(Message published, ByteBufAllocator alloc) {
        ByteBuf out = encoder.encodeDelivery(published, alloc);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }
}
