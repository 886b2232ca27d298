package io.bayeuxd.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ack} field of a message's {@code ext}, as CometD's acknowledgement extension writes it:
 * {@code {"ack":true}} in a handshake asks for acknowledged delivery (and the reply confirms it), and
 * {@code {"ack":<batch>}} in a {@code /meta/connect} carries the last batch the client received (and in the
 * reply, the number of the batch it ends).
 *
 * <p>Reading looks at the top-level fields of the raw {@code ext} bytes with Jackson's streaming parser, no
 * tree; writing splices the field into the reply's {@code ext} bytes. Only sessions that asked for
 * acknowledgements pay for either.
 */
public final class AckExt {
    /** What {@link #acknowledgedBatch} returns when the {@code ext} carries no batch number. */
    public static final long NONE = -1;

    private static final byte[] FIELD = "\"ack\":".getBytes(StandardCharsets.US_ASCII);
    private static final JsonValue ENABLED = JsonValue.ofTrustedBytes("{\"ack\":true}".getBytes(StandardCharsets.US_ASCII));

    private AckExt() {
    }

    /** Whether a handshake's {@code ext} asks for acknowledged delivery: {@code "ack": true}. */
    public static boolean requested(JsonValue ext) {
        JsonToken token = ackToken(ext);
        return token == JsonToken.VALUE_TRUE;
    }

    /**
     * The batch a {@code /meta/connect}'s {@code ext} acknowledges ({@code "ack": <integer>}), or
     * {@link #NONE} when there is none or it is not a non-negative integer.
     */
    public static long acknowledgedBatch(JsonValue ext) {
        if (ext == null || !ext.isObject()) {
            return NONE;
        }
        try (JsonParser p = JsonValue.MAPPER.getFactory().createParser(ext.bytes())) {
            if (!toAckValue(p) || p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return NONE;
            }
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NONE : Math.max(NONE, p.getLongValue());
        } catch (IOException e) {
            return NONE;   // not reachable for bytes the decoder checked; a bad ext acknowledges nothing
        }
    }

    /** A handshake reply's {@code ext} with {@code "ack": true} added, confirming acknowledged delivery. */
    public static JsonValue withEnabled(JsonValue replyExt) {
        return replyExt == null || !replyExt.isObject() ? ENABLED : withField(replyExt, "true".getBytes(StandardCharsets.US_ASCII));
    }

    /** A connect reply's {@code ext} with {@code "ack": batch} added: the number of the batch this reply ends. */
    public static JsonValue withBatch(JsonValue replyExt, long batch) {
        return withField(replyExt, Long.toString(batch).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code {"ack":value}}, or {@code {"ack":value,<the other fields>}} when {@code ext} is an object. */
    private static JsonValue withField(JsonValue ext, byte[] value) {
        byte[] rest = ext != null && ext.isObject() ? ext.bytes() : null;
        int restFrom = rest == null ? 0 : firstNonBlankAfterBrace(rest);
        boolean empty = rest == null || rest[restFrom] == '}';
        int restLength = empty ? 0 : rest.length - restFrom;
        byte[] out = new byte[1 + FIELD.length + value.length + (empty ? 1 : 1 + restLength)];
        int at = 0;
        out[at++] = '{';
        System.arraycopy(FIELD, 0, out, at, FIELD.length);
        at += FIELD.length;
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
        if (empty) {
            out[at] = '}';
        } else {
            out[at++] = ',';
            System.arraycopy(rest, restFrom, out, at, restLength);
        }
        return JsonValue.ofTrustedBytes(out);
    }

    /** Index of the first byte after the opening brace that is not JSON whitespace. */
    private static int firstNonBlankAfterBrace(byte[] object) {
        int i = 1;
        while (object[i] == ' ' || object[i] == '\t' || object[i] == '\n' || object[i] == '\r') {
            i++;
        }
        return i;
    }

    private static JsonToken ackToken(JsonValue ext) {
        if (ext == null || !ext.isObject()) {
            return null;
        }
        try (JsonParser p = JsonValue.MAPPER.getFactory().createParser(ext.bytes())) {
            return toAckValue(p) ? p.currentToken() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Moves {@code p} onto the value of the top-level {@code ack} field; false when there is none. */
    private static boolean toAckValue(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            boolean ack = "ack".equals(p.currentName());
            p.nextToken();
            if (ack) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }
}
