package io.bayeuxd.transport;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generators of hostile request bodies for the transport property tests: valid Bayeux requests, random
 * JSON built to hit every decoder limit and field rule, mutations of valid requests, and random bytes.
 *
 * <p>Bodies are raw bytes, not strings, so they can hold what a client can send and a {@code String}
 * cannot: invalid UTF-8, a NUL, an unpaired surrogate encoded as three bytes. Sizes stay small by default
 * so that a few hundred tries run in seconds; the limits themselves (64 levels, 1,000 messages, 65,536
 * characters, 1,000 digits) are reached on purpose, near their boundaries.
 */
public final class HostileInputs {
    /** Every field the decoder knows, so that random messages hit the field rules as often as not. */
    public static final List<String> KNOWN_FIELDS = List.of("channel", "clientId", "id", "data", "ext", "advice",
            "connectionType", "supportedConnectionTypes", "version", "minimumVersion", "subscription", "successful",
            "error");

    private static final List<String> CHANNELS = List.of("/meta/handshake", "/meta/connect", "/meta/subscribe",
            "/meta/unsubscribe", "/meta/disconnect", "/meta/other", "/meta", "/meta/*", "/fuzz", "/fuzz/a", "/fuzz/*",
            "/fuzz/**", "/**", "/service/x", "", "/", "//", "/a//b", "/a/*/b", "/caf\u00e9", "fuzz", "/\u0000");

    /** Byte sequences that are not strict UTF-8: stray continuation, overlong, surrogate, above U+10FFFF, truncated. */
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {0}};

    /** Built once: arbitraries are immutable, and building the recursive ones per try costs more than a try. */
    private static final Arbitrary<byte[]> VALUE_3 = hostileValue(3);
    private static final Arbitrary<byte[]> VALUE_4 = hostileValue(4);

    private HostileInputs() {
    }

    /** Any request body, weighted towards the ones that get past the JSON parser. */
    public static Arbitrary<byte[]> bodies(List<String> clientIds) {
        return Arbitraries.frequencyOf(
                Tuple.of(2, validBodies(clientIds)),
                Tuple.of(4, hostileMessages(clientIds)),
                Tuple.of(4, mutated(validBodies(clientIds))),
                Tuple.of(1, randomBytes(256)));
    }

    /** Well-formed Bayeux requests: each meta channel, publishes, batches, and the empty batch. */
    public static Arbitrary<byte[]> validBodies(List<String> clientIds) {
        Arbitrary<String> clientId = clientIds.isEmpty() ? Arbitraries.just("nobody")
                : Arbitraries.oneOf(Arbitraries.of(clientIds), Arbitraries.just("nobody"));
        Arbitrary<String> message = Arbitraries.oneOf(
                Arbitraries.just("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\",\"websocket\"],\"id\":\"1\"}"),
                clientId.map(id -> "{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                        + "\",\"connectionType\":\"long-polling\",\"advice\":{\"timeout\":0},\"id\":\"2\"}"),
                clientId.map(id -> "{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\",\"id\":3}"),
                clientId.map(id -> "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/fuzz/*\",\"id\":\"4\"}"),
                clientId.map(id -> "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":[\"/fuzz/a\",\"/fuzz/**\"]}"),
                clientId.map(id -> "{\"channel\":\"/meta/unsubscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/fuzz/a\"}"),
                Arbitraries.just("{\"channel\":\"/fuzz/a\",\"data\":{\"text\":\"hello\",\"n\":[1,2.5,-3e2,true,null]},\"ext\":{\"k\":\"v\"},\"id\":\"5\"}"),
                clientId.map(id -> "{\"channel\":\"/fuzz/b\",\"clientId\":\"" + id + "\",\"data\":\"caf\u00e9 \\u00e9 \\ud83d\\ude00\"}"));
        Arbitrary<String> body = Arbitraries.oneOf(
                message,
                message.list().ofMinSize(1).ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]"),
                Arbitraries.just("[]"));
        return body.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** One message or a batch of messages whose fields are drawn from {@link #hostileValue} and whose keys repeat. */
    public static Arbitrary<byte[]> hostileMessages(List<String> clientIds) {
        Arbitrary<byte[]> message = hostileObject(clientIds);
        return Arbitraries.frequencyOf(
                Tuple.of(3, message),
                Tuple.of(3, message.list().ofMinSize(0).ofMaxSize(4).map(HostileInputs::array)),
                Tuple.of(1, Arbitraries.integers().between(995, 1005).map(HostileInputs::batchOf)));
    }

    /** A batch of {@code n} minimal publishes, for the 1,000-message limit. */
    public static byte[] batchOf(int n) {
        List<byte[]> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(("{\"channel\":\"/fuzz/batch\",\"data\":" + i + "}").getBytes(StandardCharsets.US_ASCII));
        }
        return array(items);
    }

    private static Arbitrary<byte[]> hostileObject(List<String> clientIds) {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(KNOWN_FIELDS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8)),
                Tuple.of(1, Arbitraries.of("__proto__", "constructor", "", "channel\u0000", "CHANNEL", "data ")));
        Arbitrary<byte[]> field = Combinators.combine(name, Arbitraries.integers().between(0, 9)).flatAs((n, pick) ->
                fieldValue(n, pick, clientIds).map(v -> concat(jsonString(n), bytes(":"), v)));
        return field.list().ofMaxSize(8).map(HostileInputs::object);
    }

    /** A value of the right type for the field three times in ten, any hostile value otherwise. */
    private static Arbitrary<byte[]> fieldValue(String name, int pick, List<String> clientIds) {
        if (pick >= 3) {
            return VALUE_4;
        }
        return switch (name) {
            case "channel" -> Arbitraries.of(CHANNELS).map(HostileInputs::jsonString);
            case "clientId" -> (clientIds.isEmpty() ? Arbitraries.just("nobody") : Arbitraries.of(clientIds))
                    .map(HostileInputs::jsonString);
            case "subscription" -> Arbitraries.oneOf(
                    Arbitraries.of(CHANNELS).map(HostileInputs::jsonString),
                    Arbitraries.of(CHANNELS).list().ofMaxSize(3).map(l -> array(l.stream().map(HostileInputs::jsonString).toList())));
            case "connectionType" -> Arbitraries.of("long-polling", "websocket", "callback-polling", "nope").map(HostileInputs::jsonString);
            case "supportedConnectionTypes" -> Arbitraries.of("long-polling", "websocket", "x").list().ofMaxSize(3)
                    .map(l -> array(l.stream().map(HostileInputs::jsonString).toList()));
            case "version", "minimumVersion" -> Arbitraries.of("1.0", "0.9", "", "2").map(HostileInputs::jsonString);
            case "advice" -> Combinators.combine(Arbitraries.of("timeout", "interval", "reconnect", "x"), hostileNumber())
                    .as((k, v) -> object(List.of(concat(jsonString(k), bytes(":"), v))));
            case "ext" -> VALUE_3.list().ofMaxSize(3).map(vs -> {
                List<byte[]> fields = new ArrayList<>();
                for (int i = 0; i < vs.size(); i++) {
                    fields.add(concat(jsonString("k" + (i % 2)), bytes(":"), vs.get(i)));
                }
                return object(fields);
            });
            case "id" -> Arbitraries.oneOf(hostileNumber(), hostileString());
            case "successful" -> Arbitraries.of("true", "false").map(HostileInputs::bytes);
            default -> VALUE_3;
        };
    }

    /**
     * Any JSON-ish value, most of them well-formed: scalars at the edges of the decoder's limits,
     * containers with duplicate keys, deep nesting around the 64-level limit, and a few that are not
     * JSON at all.
     */
    public static Arbitrary<byte[]> hostileValue(int depth) {
        Arbitrary<byte[]> scalar = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "[]", "{}").map(HostileInputs::bytes)),
                Tuple.of(3, hostileNumber()),
                Tuple.of(3, hostileString()),
                Tuple.of(1, Arbitraries.of("NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "tru",
                        "nul", "'x'", "undefined", "\"unterminated", "[1,]", "{\"a\":}", "{,}", "/*c*/1").map(HostileInputs::bytes)),
                Tuple.of(1, deepNesting()));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<byte[]> inner = hostileValue(depth - 1);
        Arbitrary<byte[]> arrays = inner.list().ofMaxSize(4).map(HostileInputs::array);
        Arbitrary<byte[]> objects = Combinators.combine(Arbitraries.of("a", "b", "channel", "data", "", "\u00e9"), inner)
                .as((k, v) -> concat(jsonString(k), bytes(":"), v)).list().ofMaxSize(4).map(HostileInputs::object);
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, arrays), Tuple.of(1, objects));
    }

    /** Numbers: ordinary, at the long and double edges, and with hundreds to thousands of digits. */
    public static Arbitrary<byte[]> hostileNumber() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(n -> bytes(Long.toString(n)))),
                Tuple.of(2, Arbitraries.of("9223372036854775807", "9223372036854775808", "-9223372036854775809",
                        "1e308", "1e309", "-1e999", "4.9e-324", "1e-400", "0.1", "-0.0", "2.5", "1E+2", "123456789012345678901234567890")
                        .map(HostileInputs::bytes)),
                Tuple.of(1, Arbitraries.of(999, 1000, 1001, 5000).map(n -> bytes("1" + "0".repeat(n - 1)))),
                Tuple.of(1, Arbitraries.of(990, 1001).map(n -> bytes("0." + "1".repeat(n)))));
    }

    /** Strings: escapes, unpaired surrogates, control characters, raw invalid UTF-8, and lengths around 65,536. */
    public static Arbitrary<byte[]> hostileString() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12);
        return Arbitraries.frequencyOf(
                Tuple.of(16, text.map(HostileInputs::jsonString)),
                Tuple.of(8, Arbitraries.of("\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
                        "\"\\x41\"", "\"\\u12\"", "\"\\\"", "\"\t\"", "\"\u0001\"", "\"\u2028\u2029\"", "\"\uFEFF\"",
                        "\"\uD83D\uDE00\"").map(HostileInputs::bytes)),
                Tuple.of(8, Combinators.combine(text, Arbitraries.of(INVALID_UTF8)).as((t, bad) ->
                        concat(bytes("\"" + t), bad, bytes("\"")))),
                Tuple.of(1, Arbitraries.of(1000, 65_535, 65_536, 65_537, 70_000).map(n -> jsonString("x".repeat(n)))));
    }

    /** Arrays or objects nested 60 to 70 levels deep, around the decoder's 64-level limit. */
    public static Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(58, 70), Arbitraries.of(true, false)).as((n, arrays) -> {
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            return bytes(open.repeat(n) + "1" + close.repeat(n));
        });
    }

    /** Uniformly random bytes, up to {@code maxLength}. */
    public static Arbitrary<byte[]> randomBytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** One to four {@link Mutation}s applied to bodies from {@code bodies}. */
    public static Arbitrary<byte[]> mutated(Arbitrary<byte[]> bodies) {
        return Combinators.combine(bodies, mutations()).as(HostileInputs::mutate);
    }

    public static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Mutation.Kind.values()), Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.integers().between(1, 64), Arbitraries.oneOf(Arbitraries.of(INVALID_UTF8),
                                Arbitraries.of("{", "}", "[", "]", "\"", ",", ":", "\\", " ", "1", "n", "\u00e9").map(HostileInputs::bytes),
                                randomBytes(8)))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    public static byte[] mutate(byte[] body, List<Mutation> mutations) {
        byte[] out = body;
        for (Mutation m : mutations) {
            out = m.apply(out);
        }
        return out;
    }

    /**
     * One change to a body. Positions and lengths are taken modulo the body's size, so every mutation
     * applies to every body and shrinks towards the start of it.
     */
    public record Mutation(Kind kind, int at, int length, byte[] bytes) {
        public enum Kind { FLIP_BIT, TRUNCATE, DUPLICATE, INSERT, DELETE, REPLACE }

        byte[] apply(byte[] body) {
            int n = body.length;
            int pos = n == 0 ? 0 : at % (n + 1);
            int len = Math.min(length, n - pos);
            switch (kind) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        return body;
                    }
                    byte[] copy = body.clone();
                    copy[at % n] ^= (byte) (1 << (length % 8));
                    return copy;
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(body, pos);
                }
                case DUPLICATE -> {
                    return splice(body, pos + len, 0, Arrays.copyOfRange(body, pos, pos + len));
                }
                case INSERT -> {
                    return splice(body, pos, 0, bytes);
                }
                case DELETE -> {
                    return splice(body, pos, len, new byte[0]);
                }
                default -> {
                    return splice(body, pos, Math.min(bytes.length, n - pos), bytes);
                }
            }
        }

        private static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
            byte[] out = new byte[body.length - remove + insert.length];
            System.arraycopy(body, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(body, at + remove, out, at + insert.length, body.length - at - remove);
            return out;
        }

        @Override
        public String toString() {
            return kind + "@" + at + "/" + length + "+" + bytes.length + "B";
        }
    }

    // ---- raw JSON building ----

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} as a JSON string; characters outside printable ASCII are escaped so the bytes stay strict UTF-8. */
    public static byte[] jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return bytes(sb.append('"').toString());
    }

    public static byte[] array(List<byte[]> items) {
        return join((byte) '[', items, (byte) ']');
    }

    public static byte[] object(List<byte[]> fields) {
        return join((byte) '{', fields, (byte) '}');
    }

    private static byte[] join(byte open, List<byte[]> items, byte close) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.write(close);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
