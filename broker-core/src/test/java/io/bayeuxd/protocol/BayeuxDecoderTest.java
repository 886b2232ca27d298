package io.bayeuxd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BayeuxDecoderTest {
    private final BayeuxDecoder decoder = new BayeuxDecoder();

    /**
     * Decodes {@code json} from the middle of a larger array, so that every test also checks that
     * offsets are taken relative to the start of the body.
     */
    private List<Message> decode(String json) {
        return decodeBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    private List<Message> decodeBytes(byte[] body) {
        byte[] padded = new byte[body.length + 7];
        padded[0] = '[';
        padded[1] = '{';
        padded[2] = '"';
        System.arraycopy(body, 0, padded, 3, body.length);
        padded[padded.length - 1] = '}';
        return decoder.decode(padded, 3, body.length);
    }

    private Message decodeOne(String json) {
        List<Message> messages = decode(json);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private static String utf8(JsonValue value) {
        return new String(value.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void singleObjectIsOneMessage() {
        Message m = decodeOne("{\"channel\":\"/meta/connect\",\"clientId\":\"c1\",\"connectionType\":\"long-polling\"}");
        assertThat(m.channel()).isEqualTo("/meta/connect");
        assertThat(m.clientId()).isEqualTo("c1");
        assertThat(m.connectionType()).isEqualTo("long-polling");
        assertThat(m.data()).isNull();
        assertThat(m.id()).isNull();
    }

    @Test
    void arrayIsABatchInOrder() {
        List<Message> messages = decode("[{\"channel\":\"/a\"}, {\"channel\":\"/b\"} ,{\"channel\":\"/c\"}]");
        assertThat(messages).extracting(Message::channel).containsExactly("/a", "/b", "/c");
    }

    @Test
    void emptyArrayIsAnEmptyBatch() {
        assertThat(decode(" [ ] ")).isEmpty();
    }

    @Test
    void returnedListIsModifiable() {
        List<Message> messages = decode("{}");
        messages.add(new Message());
        assertThat(messages).hasSize(2);
    }

    @Test
    void readsEveryField() {
        Message m = decodeOne("""
                {"channel":"/meta/handshake","clientId":"abc","id":"7","data":{"x":1},"ext":{"auth":"t"},
                 "advice":{"reconnect":"retry","interval":1000,"timeout":45000,"multiple-clients":true},
                 "connectionType":"websocket","supportedConnectionTypes":["long-polling","websocket"],
                 "version":"1.0","minimumVersion":"1.0beta","subscription":"/foo/*","successful":true,
                 "error":"401::Unknown client"}
                """);
        assertThat(m.channel()).isEqualTo("/meta/handshake");
        assertThat(m.clientId()).isEqualTo("abc");
        assertThat(utf8(m.id())).isEqualTo("\"7\"");
        assertThat(utf8(m.data())).isEqualTo("{\"x\":1}");
        assertThat(utf8(m.ext())).isEqualTo("{\"auth\":\"t\"}");
        assertThat(m.advice()).isEqualTo(new Advice("retry", 1000L, 45000L));
        assertThat(m.connectionType()).isEqualTo("websocket");
        assertThat(m.supportedConnectionTypes()).containsExactly("long-polling", "websocket");
        assertThat(m.version()).isEqualTo("1.0");
        assertThat(m.minimumVersion()).isEqualTo("1.0beta");
        assertThat(m.subscription()).containsExactly("/foo/*");
        assertThat(m.subscriptionIsArray()).isFalse();
        assertThat(m.successful()).isTrue();
        assertThat(m.error()).isEqualTo("401::Unknown client");
    }

    @Test
    void subscriptionAsStringOrArray() {
        Message single = decodeOne("{\"subscription\":\"/a\"}");
        assertThat(single.subscription()).containsExactly("/a");
        assertThat(single.subscriptionIsArray()).isFalse();

        Message one = decodeOne("{\"subscription\":[\"/a\"]}");
        assertThat(one.subscription()).containsExactly("/a");
        assertThat(one.subscriptionIsArray()).isTrue();

        Message many = decodeOne("{\"subscription\":[\"/a\",\"/b/**\"]}");
        assertThat(many.subscription()).containsExactly("/a", "/b/**");
        assertThat(many.subscriptionIsArray()).isTrue();

        Message none = decodeOne("{\"subscription\":[]}");
        assertThat(none.subscription()).isEmpty();
        assertThat(none.subscriptionIsArray()).isTrue();
    }

    @Test
    void decodedListsAreUnmodifiableSoNoExtensionCanRewriteWhatWasValidated() {
        Message m = decodeOne("{\"subscription\":[\"/a\",\"/b\"],\"supportedConnectionTypes\":[\"websocket\"]}");
        assertThatThrownBy(() -> m.subscription().set(0, "/meta/handshake")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.supportedConnectionTypes().add("long-polling")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(m.subscription()).containsExactly("/a", "/b");
    }

    @Test
    void rawValuesKeepTheirExactBytes() {
        String data = "{ \"a\" :\t[1, 2.50 ,-0, 1E+2, \"x\\u00e9\\n\"] ,\r\n \"b\":null, \"c\" : { } }";
        String ext = "{\"ack\" : true }";
        Message m = decodeOne("{ \"id\" :  \"q\\\"1\" , \"data\" : " + data + " , \"ext\":" + ext + "}");
        assertThat(utf8(m.data())).isEqualTo(data);
        assertThat(utf8(m.ext())).isEqualTo(ext);
        assertThat(utf8(m.id())).isEqualTo("\"q\\\"1\"");
    }

    @Test
    void scalarDataKeepsItsExactBytes() {
        assertThat(utf8(decodeOne("{\"data\":\"he said \\\"hi\\\"\"}").data())).isEqualTo("\"he said \\\"hi\\\"\"");
        assertThat(utf8(decodeOne("{\"data\":-12.5e3 }").data())).isEqualTo("-12.5e3");
        assertThat(utf8(decodeOne("{\"data\":0}").data())).isEqualTo("0");
        assertThat(utf8(decodeOne("{\"data\":false,\"channel\":\"/a\"}").data())).isEqualTo("false");
        assertThat(utf8(decodeOne("{\"data\":true}").data())).isEqualTo("true");
        assertThat(utf8(decodeOne("{\"data\":[]}").data())).isEqualTo("[]");
        assertThat(utf8(decodeOne("{\"data\":\"\"}").data())).isEqualTo("\"\"");
    }

    @Test
    void nestedDataIsCopiedWholeAndFieldsAfterItAreRead() {
        String data = "{\"a\":[{\"channel\":\"/inner\",\"b\":[[[{}]]]}],\"data\":{\"id\":1}}";
        Message m = decodeOne("{\"data\":" + data + ",\"channel\":\"/outer\"}");
        assertThat(utf8(m.data())).isEqualTo(data);
        assertThat(m.channel()).isEqualTo("/outer");
        assertThat(m.data().tree().at("/a/0/channel").asText()).isEqualTo("/inner");
    }

    @Test
    void decodesUnicode() {
        Message m = decodeOne("{\"channel\":\"/chat/\u00e9\u20ac\uD83D\uDE00\",\"clientId\":\"\\u00e9\\uD83D\\uDE00\","
                + "\"data\":\"\uD83D\uDE00 \\uD83D\\uDE00 \u2028\"}");
        assertThat(m.channel()).isEqualTo("/chat/\u00e9\u20ac\uD83D\uDE00");
        assertThat(m.clientId()).isEqualTo("\u00e9\uD83D\uDE00");
        assertThat(utf8(m.data())).isEqualTo("\"\uD83D\uDE00 \\uD83D\\uDE00 \u2028\"");
        assertThat(m.data().tree().asText()).isEqualTo("\uD83D\uDE00 \uD83D\uDE00 \u2028");
    }

    @Test
    void dataNullIsPresentAndAbsentDataIsNull() {
        Message withNull = decodeOne("{\"channel\":\"/a\",\"data\":null}");
        assertThat(withNull.data()).isNotNull();
        assertThat(withNull.data().isNull()).isTrue();
        assertThat(utf8(withNull.data())).isEqualTo("null");

        assertThat(decodeOne("{\"channel\":\"/a\"}").data()).isNull();
    }

    @Test
    void idMayBeAStringOrANumber() {
        assertThat(utf8(decodeOne("{\"id\":\"abc\"}").id())).isEqualTo("\"abc\"");
        assertThat(utf8(decodeOne("{\"id\":42}").id())).isEqualTo("42");
        assertThat(utf8(decodeOne("{\"id\":4.5}").id())).isEqualTo("4.5");
    }

    @Test
    void knownFieldsOfTheWrongTypeAreAbsent() {
        Message m = decodeOne("""
                {"channel":5,"clientId":{"a":{"b":[1]}},"id":{"x":1},"ext":"nope","advice":[1,{"timeout":1}],
                 "connectionType":null,"supportedConnectionTypes":"long-polling","version":1.0,
                 "minimumVersion":true,"subscription":{"s":"/a"},"successful":"true","error":["e"],
                 "data":[{"channel":"/after-skipped-values"}]}
                """);
        assertThat(m.channel()).isNull();
        assertThat(m.clientId()).isNull();
        assertThat(m.id()).isNull();
        assertThat(m.ext()).isNull();
        assertThat(m.advice()).isNull();
        assertThat(m.connectionType()).isNull();
        assertThat(m.supportedConnectionTypes()).isNull();
        assertThat(m.version()).isNull();
        assertThat(m.minimumVersion()).isNull();
        assertThat(m.subscription()).isNull();
        assertThat(m.subscriptionIsArray()).isFalse();
        assertThat(m.successful()).isNull();
        assertThat(m.error()).isNull();
        // The parser is still in step after skipping all of the above.
        assertThat(utf8(m.data())).isEqualTo("[{\"channel\":\"/after-skipped-values\"}]");
    }

    @Test
    void arraysHoldingNonStringsAreTheWrongType() {
        Message m = decodeOne("{\"subscription\":[\"/a\",null],\"supportedConnectionTypes\":[\"websocket\",[\"x\"]],"
                + "\"channel\":\"/meta/subscribe\"}");
        assertThat(m.subscription()).isNull();
        assertThat(m.supportedConnectionTypes()).isNull();
        assertThat(m.channel()).isEqualTo("/meta/subscribe");
    }

    @Test
    void adviceReadsNumbersAndSkipsTheRest() {
        assertThat(decodeOne("{\"advice\":{\"timeout\":0}}").advice()).isEqualTo(new Advice(null, null, 0L));
        assertThat(decodeOne("{\"advice\":{}}").advice()).isEqualTo(new Advice(null, null, null));
        assertThat(decodeOne("{\"advice\":{\"timeout\":1000.9,\"interval\":-5}}").advice())
                .isEqualTo(new Advice(null, -5L, 1000L));
        assertThat(decodeOne("{\"advice\":{\"timeout\":\"5\",\"interval\":99999999999999999999,\"reconnect\":1}}")
                .advice()).isEqualTo(new Advice(null, null, null));
        assertThat(decodeOne("{\"advice\":{\"timeout\":1e400,\"interval\":9223372036854775807}}").advice())
                .isEqualTo(new Advice(null, Long.MAX_VALUE, null));
        assertThat(decodeOne("{\"advice\":{\"hosts\":[\"a\"],\"reconnect\":\"none\",\"x\":{\"timeout\":1}}}").advice())
                .isEqualTo(new Advice("none", null, null));
    }

    @Test
    void unknownFieldsAreSkipped() {
        Message m = decodeOne("{\"foo\":{\"channel\":\"/inner\",\"data\":[1,2]},\"bar\":[{\"clientId\":\"x\"}],"
                + "\"baz\":\"s\",\"qux\":null,\"channel\":\"/outer\"}");
        assertThat(m.channel()).isEqualTo("/outer");
        assertThat(m.clientId()).isNull();
        assertThat(m.data()).isNull();
    }

    @Test
    void theLastOfDuplicateKeysWins() {
        Message m = decodeOne("{\"channel\":\"/first\",\"data\":1,\"channel\":\"/last\",\"data\":{\"n\":2},"
                + "\"clientId\":\"c\",\"clientId\":7}");
        assertThat(m.channel()).isEqualTo("/last");
        assertThat(utf8(m.data())).isEqualTo("{\"n\":2}");
        // The last occurrence decides even when it has the wrong type.
        assertThat(m.clientId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "\r\n\t", "\"abc\"", "42", "-1.5", "true", "false", "null",
            "[1]", "[{}, 3]", "[{},\"x\"]", "[[{}]]", "[null]", "{", "[", "]", "}", "[{}", "{\"channel\":",
            "{\"channel\":\"/a\"", "{\"channel\":\"/a\",}", "[{},]", "[,{}]", "{}garbage", "{}{}", "[{}]]", "{} []",
            "{\"a\":}", "{'a':1}", "{a:1}", "{\"data\":NaN}", "{\"data\":01}", "{\"data\":\"\\x\"}",
            "{\"data\":\"tab\there\"}", "{\"data\":[1,]}", "{\"data\":{\"k\"}}", "{\"data\":tru}", "// c\n{}",
            "{\"data\":1}/**/", "{\"channel\":\"/a\"}}"
    })
    void rejectsMalformedBodies(String body) {
        assertThatThrownBy(() -> decode(body)).isInstanceOf(BayeuxDecodeException.class);
        assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(BayeuxDecodeException.class);
    }

    @Test
    void reasonsAreShortAndQuoteNoInput() {
        assertThatThrownBy(() -> decode("")).hasMessage("empty body");
        assertThatThrownBy(() -> decode("\"abc\"")).hasMessage("body is not a JSON object or array");
        assertThatThrownBy(() -> decode("[{}, 3]")).hasMessage("batch element 1 is not an object");
        assertThatThrownBy(() -> decode("{}{}")).hasMessage("data after the JSON value at byte 2");
        assertThatThrownBy(() -> decode("{}secret-token"))
                .isInstanceOf(BayeuxDecodeException.class)
                .hasMessageStartingWith("malformed JSON at byte ")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> decode("{\"channel\":\"/a\" \"secret\":1}"))
                .hasMessageNotContaining("secret");
    }

    @Test
    void exceptionCarriesNoStackTraceOrCause() {
        BayeuxDecodeException e = catchDecode("{");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
    }

    private BayeuxDecodeException catchDecode(String body) {
        try {
            decode(body);
        } catch (BayeuxDecodeException e) {
            return e;
        }
        throw new AssertionError("decoded: " + body);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "C3 28",       // lead byte followed by a non-continuation
            "C0 80",       // overlong NUL
            "C1 BF",       // overlong
            "E0 80 80",    // overlong three-byte form
            "ED A0 80",    // encoded high surrogate
            "ED BF BF",    // encoded low surrogate
            "F4 90 80 80", // above U+10FFFF
            "F5 80 80 80", // lead byte beyond U+10FFFF
            "F0 80 80 80", // overlong four-byte form
            "80",          // stray continuation byte
            "BF",
            "E2 82",       // truncated sequence
            "FE", "FF"
    })
    void rejectsInvalidUtf8Anywhere(String hex) {
        byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);
        for (String template : List.of("{\"channel\":\"/%s\"}", "{\"data\":\"%s\"}", "{\"data\":{\"%s\":1}}",
                "{\"ext\":{\"k\":[\"%s\"]}}", "{\"%s\":1}", "%s{}", "{}%s")) {
            int at = template.indexOf("%s");
            byte[] prefix = template.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] suffix = template.substring(at + 2).getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            assertThatThrownBy(() -> decodeBytes(body))
                    .as(template + " with " + hex)
                    .isInstanceOf(BayeuxDecodeException.class)
                    .hasMessage("invalid UTF-8 at byte " + prefix.length);
        }
    }

    @Test
    void rejectsNulAndOtherEncodings() {
        assertThatThrownBy(() -> decodeBytes(new byte[] {'{', 0, '}'})).isInstanceOf(BayeuxDecodeException.class);
        assertThatThrownBy(() -> decodeBytes("{\"channel\":\"/a\"}".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOf(BayeuxDecodeException.class);
        assertThatThrownBy(() -> decodeBytes("{\"channel\":\"/a\"}".getBytes(StandardCharsets.UTF_16)))
                .isInstanceOf(BayeuxDecodeException.class);
    }

    @Test
    void acceptsAByteOrderMark() {
        byte[] json = "{\"data\": [1] }".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);
        assertThat(utf8(decodeBytes(body).get(0).data())).isEqualTo("[1]");
    }

    @Test
    void nestingIsLimitedCountingFromTheTop() {
        // Default depth 64: a message object (1) whose data holds 63 arrays is exactly at the limit.
        assertThat(decode("{\"data\":" + "[".repeat(63) + "]".repeat(63) + "}")).hasSize(1);
        assertThatThrownBy(() -> decode("{\"data\":" + "[".repeat(64) + "]".repeat(64) + "}"))
                .isInstanceOf(BayeuxDecodeException.class)
                .hasMessage("nesting deeper than 64 levels");
        // Inside a batch the array is level 1.
        assertThat(decode("[{\"data\":" + "[".repeat(62) + "]".repeat(62) + "}]")).hasSize(1);
        assertThatThrownBy(() -> decode("[{\"data\":" + "[".repeat(63) + "]".repeat(63) + "}]"))
                .hasMessage("nesting deeper than 64 levels");
        // Unknown fields are skipped, but still bounded.
        assertThatThrownBy(() -> decode("{\"x\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(70) + "}"))
                .hasMessage("nesting deeper than 64 levels");
        assertThatThrownBy(() -> decode("[{\"data\":" + "[".repeat(100_000)))
                .hasMessage("nesting deeper than 64 levels");
    }

    @Test
    void nestingLimitIsConfigurable() {
        BayeuxDecoder shallow = new BayeuxDecoder(new DecoderLimits(2, 10, 100));
        assertThat(shallow.decode("[{\"data\":1}]")).hasSize(1);
        assertThatThrownBy(() -> shallow.decode("[{\"data\":[]}]")).hasMessage("nesting deeper than 2 levels");
        assertThatThrownBy(() -> shallow.decode("{\"advice\":{\"x\":[]}}")).hasMessage("nesting deeper than 2 levels");
    }

    @Test
    void messagesPerBatchAreLimited() {
        BayeuxDecoder three = new BayeuxDecoder(new DecoderLimits(64, 3, 100));
        assertThat(three.decode("[{},{},{}]")).hasSize(3);
        assertThatThrownBy(() -> three.decode("[{},{},{},{}]"))
                .isInstanceOf(BayeuxDecodeException.class)
                .hasMessage("more than 3 messages");

        assertThat(decode("[" + "{},".repeat(999) + "{}]")).hasSize(1000);
        assertThatThrownBy(() -> decode("[" + "{},".repeat(1000) + "{}]")).hasMessage("more than 1000 messages");
    }

    @Test
    void decodedStringsAndNamesAreLimited() {
        BayeuxDecoder small = new BayeuxDecoder(new DecoderLimits(64, 10, 10));
        assertThat(small.decode("{\"channel\":\"/123456789\"}").get(0).channel()).isEqualTo("/123456789");
        assertThatThrownBy(() -> small.decode("{\"channel\":\"/1234567890\"}"))
                .isInstanceOf(BayeuxDecodeException.class)
                .hasMessageStartingWith("string, name or number over the size limit");
        assertThatThrownBy(() -> small.decode("{\"data\":{\"key-of-eleven\":1}}"))
                .hasMessageStartingWith("string, name or number over the size limit");
        // Numbers keep Jackson's own bound of 1000 digits.
        assertThat(utf8(decodeOne("{\"data\":" + "7".repeat(1000) + "}").data())).hasSize(1000);
        assertThatThrownBy(() -> decode("{\"data\":" + "7".repeat(1001) + "}"))
                .hasMessageStartingWith("string, name or number over the size limit");
        // A long string at the deepest allowed level is still a string, not a nesting, failure.
        BayeuxDecoder shallow = new BayeuxDecoder(new DecoderLimits(2, 10, 10));
        assertThatThrownBy(() -> shallow.decode("[{\"channel\":\"/1234567890\"}]"))
                .hasMessageStartingWith("string, name or number over the size limit");
        // Values inside data are copied raw, not decoded, and only the body size bounds them.
        String longValue = "x".repeat(1000);
        assertThat(utf8(small.decode("{\"data\":{\"k\":\"" + longValue + "\"}}").get(0).data()))
                .isEqualTo("{\"k\":\"" + longValue + "\"}");
        assertThat(utf8(small.decode("{\"data\":\"" + longValue + "\"}").get(0).data()))
                .isEqualTo("\"" + longValue + "\"");
    }

    @Test
    void limitsMustBePositive() {
        assertThat(DecoderLimits.defaults()).isEqualTo(new DecoderLimits(64, 1000, 65_536));
        assertThatThrownBy(() -> new DecoderLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecoderLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecoderLimits(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final String BODY = "[{\"channel\":\"/chat/\u00e9\",\"data\":{\"text\":\"h\u00e9llo \uD83D\uDE00\"},"
            + "\"id\":\"3\"},{\"channel\":\"/meta/connect\",\"clientId\":\"c1\"}]";

    private static void assertBodyDecoded(List<Message> messages) {
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).channel()).isEqualTo("/chat/\u00e9");
        assertThat(utf8(messages.get(0).data())).isEqualTo("{\"text\":\"h\u00e9llo \uD83D\uDE00\"}");
        assertThat(utf8(messages.get(0).id())).isEqualTo("\"3\"");
        assertThat(messages.get(1).clientId()).isEqualTo("c1");
    }

    @Test
    void decodesADirectBufferAndBorrowsIt() {
        ByteBuf body = Unpooled.directBuffer();
        try {
            body.writeBytes("junk".getBytes(StandardCharsets.US_ASCII));
            body.writeCharSequence(BODY, StandardCharsets.UTF_8);
            body.readerIndex(4);
            int writerIndex = body.writerIndex();
            assertThat(body.hasArray()).isFalse();

            assertBodyDecoded(decoder.decode(body));

            assertThat(body.refCnt()).isEqualTo(1);
            assertThat(body.readerIndex()).isEqualTo(4);
            assertThat(body.writerIndex()).isEqualTo(writerIndex);
        } finally {
            body.release();
        }
    }

    @Test
    void decodesADirectBufferLargerThanTheScratchArray() {
        String text = "\u00e9".repeat(50_000);
        ByteBuf body = Unpooled.directBuffer();
        try {
            body.writeCharSequence("{\"data\":\"" + text + "\"}", StandardCharsets.UTF_8);
            assertThat(body.readableBytes()).isGreaterThan(64 * 1024);
            assertThat(decoder.decode(body).get(0).data().tree().asText()).isEqualTo(text);
            // A small body afterwards reuses the (not grown) scratch array correctly.
            ByteBuf small = Unpooled.directBuffer().writeBytes("{\"data\":7}".getBytes(StandardCharsets.US_ASCII));
            try {
                assertThat(utf8(decoder.decode(small).get(0).data())).isEqualTo("7");
            } finally {
                small.release();
            }
        } finally {
            body.release();
        }
    }

    @Test
    void decodesAHeapSliceAtANonZeroOffset() {
        byte[] json = BODY.getBytes(StandardCharsets.UTF_8);
        ByteBuf whole = Unpooled.buffer(json.length + 20);
        try {
            whole.writeBytes("0123456789".getBytes(StandardCharsets.US_ASCII));
            whole.writeBytes(json);
            whole.writeBytes("{{{{{{{{{{".getBytes(StandardCharsets.US_ASCII));
            ByteBuf slice = whole.slice(10, json.length);
            assertThat(slice.hasArray()).isTrue();
            assertThat(slice.arrayOffset()).isEqualTo(10);

            assertBodyDecoded(decoder.decode(slice));

            assertThat(slice.readerIndex()).isZero();
            assertThat(whole.refCnt()).isEqualTo(1);
        } finally {
            whole.release();
        }
    }

    @Test
    void decodesAHeapBufferFromItsReaderIndex() {
        ByteBuf body = Unpooled.buffer();
        try {
            body.writeBytes("xyz".getBytes(StandardCharsets.US_ASCII));
            body.writeCharSequence(BODY, StandardCharsets.UTF_8);
            body.readerIndex(3);
            assertBodyDecoded(decoder.decode(body));
            assertThat(body.readerIndex()).isEqualTo(3);
        } finally {
            body.release();
        }
    }

    @Test
    void decodesACompositeBuffer() {
        byte[] json = BODY.getBytes(StandardCharsets.UTF_8);
        CompositeByteBuf body = Unpooled.compositeBuffer();
        try {
            body.addComponent(true, Unpooled.wrappedBuffer(json, 0, 20));
            body.addComponent(true, Unpooled.directBuffer().writeBytes(json, 20, json.length - 20));
            assertBodyDecoded(decoder.decode(body));
            assertThat(body.readerIndex()).isZero();
        } finally {
            body.release();
        }
    }

    @Test
    void messagesKeepNoReferenceToTheBody() {
        ByteBuf body = Unpooled.buffer();
        try {
            body.writeCharSequence(BODY, StandardCharsets.UTF_8);
            List<Message> messages = decoder.decode(body);
            body.setZero(0, body.writerIndex());
            assertBodyDecoded(messages);
        } finally {
            body.release();
        }
    }

    @Test
    void decodesTextParameters() {
        assertBodyDecoded(decoder.decode(BODY));
        assertThatThrownBy(() -> decoder.decode("")).hasMessage("empty body");
    }

    @Test
    void checksArrayBounds() {
        byte[] json = "{}".getBytes(StandardCharsets.US_ASCII);
        assertThat(decoder.decode(json, 0, 2)).hasSize(1);
        assertThatThrownBy(() -> decoder.decode(json, 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
