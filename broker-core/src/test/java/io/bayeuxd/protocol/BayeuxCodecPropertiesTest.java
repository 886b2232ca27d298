package io.bayeuxd.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the codec as a whole: what the encoder writes the decoder reads back unchanged, and
 * no input makes the decoder fail with anything but {@link BayeuxDecodeException}.
 */
class BayeuxCodecPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Written around a body to catch offsets taken from the wrong origin; not JSON on its own. */
    private static final byte[] JUNK = "}]{[\"\u00e9,:x".getBytes(StandardCharsets.UTF_8);
    /** Sequences that Jackson's UTF-8 reader lets through: overlong, encoded surrogate, above U+10FFFF. */
    private static final byte[][] SNEAKY_UTF8 = {
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};

    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final BayeuxEncoder encoder = new BayeuxEncoder();

    /** Also varies where the body starts and whether it has a backing array, as transports do. */
    @Property(tries = 300)
    void encodedMessagesDecodeToTheSameFields(@ForAll("batches") List<Message> sent,
                                              @ForAll @IntRange(max = 8) int junkBefore, @ForAll boolean direct) {
        ByteBuf body = direct ? Unpooled.directBuffer() : Unpooled.buffer();
        try {
            body.writeBytes(JUNK, 0, junkBefore);
            body.readerIndex(junkBefore);
            encoder.writeArray(sent, body);
            body.writeBytes(JUNK);
            body.writerIndex(body.writerIndex() - JUNK.length);
            List<Message> received = decoder.decode(body);
            assertThat(received).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                assertSameFields(received.get(i), sent.get(i));
            }
        } finally {
            body.release();
        }
    }

    @Property(tries = 300)
    void deliveryDecodesToChannelDataIdAndExt(@ForAll("messages") Message published) {
        if (published.channel() == null || published.data() == null) {
            return;
        }
        ByteBuf delivery = encoder.encodeDelivery(published, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(delivery.writerIndex()).isEqualTo(delivery.capacity());
            Message received = decoder.decode(delivery).get(0);
            assertThat(received.channel()).isEqualTo(published.channel());
            assertRawEquals(received.data(), published.data());
            assertRawEquals(received.id(), published.id());
            assertRawEquals(received.ext(), published.ext());
            assertThat(received.clientId()).isNull();
        } finally {
            delivery.release();
        }
    }

    @Property(tries = 500)
    void stringsAreWrittenInTheirExactLengthAndParseBack(@ForAll("text") String s) throws Exception {
        ByteBuf out = Unpooled.buffer(1);
        try {
            JsonOutput.writeString(out, s);
            assertThat(out.readableBytes()).isEqualTo(JsonOutput.stringLength(s));
            byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(0, bytes);
            assertThat(JsonValue.MAPPER.readTree(bytes).textValue()).isEqualTo(s);
        } finally {
            out.release();
        }
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrFailCleanly(@ForAll("randomBytes") byte[] body) {
        decodeOrFailCleanly(body);
    }

    @Property(tries = 1000)
    void randomJsonLikeTextDecodesOrFailsCleanly(@ForAll("jsonLikeText") String body) {
        decodeOrFailCleanly(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void mutatedRequestsDecodeOrFailCleanly(@ForAll("batches") List<Message> sent,
                                            @ForAll("mutations") List<int[]> mutations) {
        ByteBuf out = Unpooled.buffer();
        byte[] body;
        try {
            encoder.writeArray(sent, out);
            body = new byte[out.readableBytes()];
            out.getBytes(0, body);
        } finally {
            out.release();
        }
        for (int[] mutation : mutations) {
            body = mutate(body, mutation);
        }
        decodeOrFailCleanly(body);
    }

    @Property(tries = 1000)
    void utf8ValidationAgreesWithTheJdk(@ForAll("utf8Edges") byte[] bytes) {
        int expected = firstMalformedPerJdk(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                expected = expected < 0 ? i : Math.min(expected, i);
                break;
            }
        }
        assertThat(Utf8Validation.firstInvalidByte(bytes, 0, bytes.length)).isEqualTo(expected);
    }

    /**
     * Anything the decoder accepts must be well-formed UTF-8 and hold raw values that are well-formed
     * JSON on their own.
     */
    private void decodeOrFailCleanly(byte[] body) {
        List<Message> messages;
        try {
            messages = decoder.decode(body, 0, body.length);
        } catch (BayeuxDecodeException expected) {
            return;
        }
        assertThat(firstMalformedPerJdk(body)).isEqualTo(-1);
        for (Message m : messages) {
            for (JsonValue value : new JsonValue[] {m.id(), m.data(), m.ext()}) {
                if (value != null) {
                    assertThat(value.tree()).isNotNull();
                    assertThat(Utf8Validation.firstInvalidByte(value.bytes(), 0, value.bytes().length)).isEqualTo(-1);
                }
            }
        }
    }

    private static byte[] mutate(byte[] body, int[] mutation) {
        if (body.length == 0) {
            return body;
        }
        int at = Math.floorMod(mutation[1], body.length);
        byte b = (byte) mutation[2];
        switch (mutation[0]) {
            case 0 -> {
                byte[] copy = body.clone();
                copy[at] = b;
                return copy;
            }
            case 1 -> {
                byte[] copy = new byte[body.length + 1];
                System.arraycopy(body, 0, copy, 0, at);
                copy[at] = b;
                System.arraycopy(body, at, copy, at + 1, body.length - at);
                return copy;
            }
            case 2 -> {
                byte[] copy = new byte[body.length - 1];
                System.arraycopy(body, 0, copy, 0, at);
                System.arraycopy(body, at + 1, copy, at, body.length - at - 1);
                return copy;
            }
            case 3 -> {
                byte[] sneaky = SNEAKY_UTF8[Math.floorMod(mutation[2], SNEAKY_UTF8.length)];
                byte[] copy = new byte[body.length + sneaky.length];
                System.arraycopy(body, 0, copy, 0, at);
                System.arraycopy(sneaky, 0, copy, at, sneaky.length);
                System.arraycopy(body, at, copy, at + sneaky.length, body.length - at);
                return copy;
            }
            default -> {
                byte[] copy = new byte[at];
                System.arraycopy(body, 0, copy, 0, at);
                return copy;
            }
        }
    }

    private static int firstMalformedPerJdk(byte[] bytes) {
        CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = jdk.decode(in, CharBuffer.allocate(bytes.length * 2 + 2), true);
        return result.isError() ? in.position() : -1;
    }

    private static void assertSameFields(Message actual, Message expected) {
        assertThat(actual.channel()).isEqualTo(expected.channel());
        assertThat(actual.clientId()).isEqualTo(expected.clientId());
        assertRawEquals(actual.id(), expected.id());
        assertRawEquals(actual.data(), expected.data());
        assertRawEquals(actual.ext(), expected.ext());
        assertThat(actual.connectionType()).isEqualTo(expected.connectionType());
        assertThat(actual.supportedConnectionTypes()).isEqualTo(expected.supportedConnectionTypes());
        assertThat(actual.version()).isEqualTo(expected.version());
        assertThat(actual.minimumVersion()).isEqualTo(expected.minimumVersion());
        assertThat(actual.subscription()).isEqualTo(expected.subscription());
        assertThat(actual.subscriptionIsArray()).isEqualTo(expected.subscriptionIsArray());
        assertThat(actual.successful()).isEqualTo(expected.successful());
        assertThat(actual.error()).isEqualTo(expected.error());
        assertThat(actual.advice()).isEqualTo(expected.advice());
    }

    /** Same parsed tree, and the very same bytes, since the codec copies raw values verbatim. */
    private static void assertRawEquals(JsonValue actual, JsonValue expected) {
        if (expected == null) {
            assertThat(actual).isNull();
            return;
        }
        assertThat(actual).isNotNull();
        assertThat(actual.tree()).isEqualTo(expected.tree());
        assertThat(actual.bytes()).isEqualTo(expected.bytes());
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<Message>> batches() {
        return messages().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> optionalText = text().injectNull(0.3);
        Arbitrary<Advice> advice = Combinators.combine(optionalText, millis(), millis()).as(Advice::new).injectNull(0.4);
        Arbitrary<List<String>> types = text().list().ofMaxSize(3).injectNull(0.4);
        Arbitrary<Boolean> successful = Arbitraries.of(true, false).injectNull(0.3);
        Arbitrary<Message> routing = Combinators.combine(optionalText, optionalText, ids(), json(3).injectNull(0.3),
                        objects(2).injectNull(0.4), optionalText, successful, subscriptions())
                .as((channel, clientId, id, data, ext, error, ok, subscription) -> {
                    Message m = new Message().channel(channel).clientId(clientId).id(id).error(error).successful(ok)
                            .data(data == null ? null : JsonValue.of(data))
                            .ext(ext == null ? null : JsonValue.of(ext));
                    if (subscription != null) {
                        m.subscription(subscription.get1(), subscription.get2());
                    }
                    return m;
                });
        return Combinators.combine(routing, advice, optionalText, types, optionalText, optionalText)
                .as((m, a, connectionType, supported, version, minimumVersion) -> m.advice(a)
                        .connectionType(connectionType).supportedConnectionTypes(supported).version(version)
                        .minimumVersion(minimumVersion));
    }

    private Arbitrary<Long> millis() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 120_000)),
                Tuple.of(1, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L))).injectNull(0.3);
    }

    private Arbitrary<JsonValue> ids() {
        return Arbitraries.oneOf(
                text().map(JsonValue::ofString),
                Arbitraries.longs().map(n -> JsonValue.ofTrustedBytes(Long.toString(n).getBytes(StandardCharsets.US_ASCII))),
                Arbitraries.doubles().map(d -> JsonValue.of(NODES.numberNode(d)))).injectNull(0.3);
    }

    private Arbitrary<Tuple.Tuple2<List<String>, Boolean>> subscriptions() {
        return Arbitraries.oneOf(
                text().map(s -> Tuple.of(List.of(s), false)),
                text().list().ofMaxSize(3).map(list -> Tuple.of(list, true))).injectNull(0.4);
    }

    /** Any JSON value, nested up to {@code depth} levels. */
    private Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                // Jackson reads back an int-sized number as an IntNode, a larger one as a LongNode.
                Arbitraries.longs().map(n -> n.longValue() == n.intValue()
                        ? NODES.numberNode(n.intValue()) : NODES.numberNode(n.longValue())),
                Arbitraries.doubles().map(NODES::numberNode),
                text().map(NODES::textNode));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalar),
                Tuple.of(1, json(depth - 1).list().ofMaxSize(4).map(items -> {
                    ArrayNode array = NODES.arrayNode();
                    items.forEach(array::add);
                    return array;
                })),
                Tuple.of(1, objects(depth - 1)));
    }

    private Arbitrary<JsonNode> objects(int depth) {
        Arbitrary<JsonNode> values = depth == 0 ? json(0) : json(depth - 1);
        return Arbitraries.maps(text(), values).ofMaxSize(4).map(BayeuxCodecPropertiesTest::object);
    }

    private static JsonNode object(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }

    /** Unicode text without unpaired surrogates, weighted towards the characters that need care. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.of(0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, (int) '"', (int) '\\', (int) '/',
                        0x7F, 0x80, 0x7FF, 0x800, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF)),
                Tuple.of(2, Arbitraries.integers().between(0, 0x10FFFF).filter(c -> c < 0xD800 || c > 0xDFFF)));
        return codePoint.list().ofMaxSize(16).map(codePoints -> {
            StringBuilder sb = new StringBuilder(codePoints.size() * 2);
            codePoints.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    @Provide
    Arbitrary<String> jsonLikeText() {
        return Arbitraries.strings().withChars("{}[]{}[]\":,\" :,0123456789-.eEtruefalsn\\u/ \n\u00e9\uD83D\uDE00")
                .ofMaxLength(48);
    }

    /** [kind (0 replace, 1 insert, 2 delete, 3 insert invalid UTF-8, 4 truncate), position, byte]. */
    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers(),
                        Arbitraries.of((int) '{', (int) '}', (int) '[', (int) ']', (int) '"', (int) ',', (int) ':',
                                (int) '\\', 0, 0x80, 0xC3, 0xFF, (int) ' ', (int) '1', (int) 'n'))
                .as((kind, at, b) -> new int[] {kind, at, b});
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<byte[]> utf8Edges() {
        Arbitrary<Byte> edge = Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF).map(i -> (byte) (int) i);
        return Arbitraries.oneOf(edge, Arbitraries.bytes(), Arbitraries.just((byte) 'a'))
                .array(byte[].class).ofMaxSize(12);
    }
}
