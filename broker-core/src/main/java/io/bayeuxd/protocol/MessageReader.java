package io.bayeuxd.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads the fields of one message object from a streaming parser, by the field rules written out on
 * {@link BayeuxDecoder}, which owns the body around it (input, batch shape, limits, errors).
 *
 * <p>{@code id}, {@code data} and {@code ext} are located by the parser's byte offsets and copied;
 * nothing inside them is decoded, but Jackson still reads through them, so they are well-formed.
 */
final class MessageReader {
    private MessageReader() {
    }

    /**
     * Reads one message. The parser must be on the message's {@code START_OBJECT} and is left on its
     * {@code END_OBJECT}. Offsets the parser reports are relative to {@code src[base]}.
     */
    static Message read(JsonParser p, byte[] src, int base, int maxChars) throws IOException {
        Message m = new Message();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "channel" -> m.channel(string(p, value, maxChars));
                case "clientId" -> m.clientId(string(p, value, maxChars));
                case "id" -> m.id(isStringOrNumber(value) ? raw(p, value, src, base) : skip(p));
                case "data" -> m.data(raw(p, value, src, base));
                case "ext" -> m.ext(value == JsonToken.START_OBJECT ? raw(p, value, src, base) : skip(p));
                case "advice" -> m.advice(advice(p, value, maxChars));
                case "connectionType" -> m.connectionType(string(p, value, maxChars));
                case "supportedConnectionTypes" -> m.supportedConnectionTypes(stringArray(p, value, maxChars));
                case "version" -> m.version(string(p, value, maxChars));
                case "minimumVersion" -> m.minimumVersion(string(p, value, maxChars));
                case "subscription" -> subscription(p, value, m, maxChars);
                case "successful" -> m.successful(bool(p, value));
                case "error" -> m.error(string(p, value, maxChars));
                default -> p.skipChildren();
            }
        }
        // Inside an object Jackson yields only FIELD_NAME or END_OBJECT; end of input throws.
        return m;
    }

    /**
     * A string field's value, at most {@code maxChars} long. Jackson's own string limit is set far higher,
     * because it also applies to the raw {@code data} and {@code id} values this reader never decodes.
     */
    private static String text(JsonParser p, int maxChars) throws IOException {
        int length = p.getTextLength();
        if (length > maxChars) {
            throw new BayeuxDecodeException("string, name or number over the size limit (a string field over " + maxChars + " characters)");
        }
        // Read in place: a known string costs no allocation, any other one a String of exactly its chars.
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        String known = KnownStrings.lookup(chars, offset, length);
        return known != null ? known : new String(chars, offset, length);
    }

    /** Skips the current value, including its children, and returns null for "absent". */
    private static <T> T skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static String string(JsonParser p, JsonToken value, int maxChars) throws IOException {
        return value == JsonToken.VALUE_STRING ? text(p, maxChars) : skip(p);
    }

    private static Boolean bool(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (value == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        return skip(p);
    }

    private static boolean isStringOrNumber(JsonToken value) {
        return value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                || value == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /**
     * Copies the current value's bytes. The start is the token's offset; the end is where the parser
     * stands once the value is consumed: after {@code skipChildren()} for a container (just past the
     * closing bracket), after {@code finishToken()} for a string (just past the closing quote), and
     * straight away for numbers and literals, which Jackson reads whole and stops right behind.
     */
    private static JsonValue raw(JsonParser p, JsonToken value, byte[] src, int base) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return JsonValue.NULL;
        }
        int start = base + (int) p.currentTokenLocation().getByteOffset();
        if (value == JsonToken.VALUE_STRING) {
            p.finishToken();
        } else {
            p.skipChildren();
        }
        int end = base + (int) p.currentLocation().getByteOffset();
        return JsonValue.ofTrustedBytes(Arrays.copyOfRange(src, start, end));
    }

    /** Null when the value is not an array of strings only; unmodifiable, as extensions see it. */
    private static List<String> stringArray(JsonParser p, JsonToken value, int maxChars) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return skip(p);
        }
        List<String> strings = new ArrayList<>(4);
        boolean allStrings = true;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                strings.add(text(p, maxChars));
            } else {
                allStrings = false;
                p.skipChildren();
            }
        }
        return allStrings ? Collections.unmodifiableList(strings) : null;
    }

    private static void subscription(JsonParser p, JsonToken value, Message m, int maxChars) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            m.subscription(List.of(text(p, maxChars)), false);
        } else {
            List<String> channels = stringArray(p, value, maxChars);
            m.subscription(channels, channels != null);
        }
    }

    /** Reads {@code reconnect}, {@code interval} and {@code timeout}; other advice fields are skipped. */
    private static Advice advice(JsonParser p, JsonToken value, int maxChars) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return skip(p);
        }
        String reconnect = null;
        Long intervalMs = null;
        Long timeoutMs = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "reconnect" -> reconnect = string(p, t, maxChars);
                case "interval" -> intervalMs = millis(p, t);
                case "timeout" -> timeoutMs = millis(p, t);
                default -> p.skipChildren();
            }
        }
        return new Advice(reconnect, intervalMs, timeoutMs);
    }

    /** A number that fits a long, a fraction truncated toward zero; anything else is absent. */
    private static Long millis(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
                    ? Long.valueOf(p.getLongValue()) : null;
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= -0x1p63 && d < 0x1p63 ? Long.valueOf((long) d) : null;
        }
        return skip(p);
    }
}
