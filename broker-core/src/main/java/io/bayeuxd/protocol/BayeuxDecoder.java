package io.bayeuxd.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes a request body into Bayeux messages: step 1 of the message path, run on the event loop.
 *
 * <p>The body is one message object or an array of them ({@code []} gives no messages). Jackson's
 * streaming parser reads it token by token and no tree is built. Anything else (an empty body,
 * malformed JSON, bytes that are not strict UTF-8 or are NUL, another top-level value, an array
 * element that is not an object, anything after the value, a broken {@link DecoderLimits} limit or a
 * number of over 1000 digits) throws {@link BayeuxDecodeException} and yields no messages.
 *
 * <p>Fields:
 * <ul>
 *   <li>Known fields are read into {@link Message}; unknown ones are skipped.</li>
 *   <li>A known field whose value has the wrong JSON type is skipped and leaves the field absent:
 *       {@code "channel": 5} gives {@code channel() == null}. The exception is {@code data}, which
 *       may be any value; {@code "data": null} is present as {@link JsonValue#NULL}, while a message
 *       without {@code data} has {@code data() == null}.</li>
 *   <li>The expected types: strings for channel, clientId, connectionType, version, minimumVersion and
 *       error; a boolean for successful; an object for ext and advice; a string or a number for id;
 *       an array of strings for supportedConnectionTypes; a string or an array of strings for
 *       subscription, recorded by {@link Message#subscriptionIsArray()}. An array holding anything but
 *       strings counts as the wrong type.</li>
 *   <li>In advice only {@code reconnect} (string), {@code interval} and {@code timeout} are read. A
 *       number that fits a long is taken, a fraction truncated toward zero (JavaScript clients only
 *       have doubles); anything else is absent.</li>
 *   <li>A duplicate key is read again and its last occurrence decides, also when that occurrence has
 *       the wrong type and so makes the field absent.</li>
 *   <li>{@code id}, {@code data} and {@code ext} are copied as the exact bytes of their value, so
 *       whitespace, escapes and number spelling reach subscribers as sent.</li>
 * </ul>
 *
 * <p>Messages returned hold no reference to the input: strings and raw values are copied out of it,
 * so the caller may release or reuse the body as soon as {@code decode} returns.
 *
 * <p>One instance is shared by all threads: it holds a {@link JsonFactory}, whose parsers are made
 * per call and whose symbol table is built for concurrent use, and nothing else that changes.
 */
public final class BayeuxDecoder {
    /**
     * A body without a backing array is copied into a per-thread array of up to this size, reused
     * from call to call, so decoding pooled direct buffers allocates nothing for the copy. Larger
     * bodies get an array of their own rather than pin more memory to every thread.
     */
    private static final int SCRATCH_MAX_BYTES = 64 * 1024;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    private final DecoderLimits limits;
    private final JsonFactory factory;

    public BayeuxDecoder() {
        this(DecoderLimits.defaults());
    }

    BayeuxDecoder(DecoderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                // Strings inside data and id are sliced, not decoded: only the body size bounds them.
                // The string fields the reader decodes check maxStringChars themselves.
                .maxStringLength(Integer.MAX_VALUE)
                .maxNameLength(limits.maxStringChars())
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                // Field names come from clients, including every key inside data; keep them in
                // Jackson's bounded symbol table but out of the JVM-wide String.intern pool.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    DecoderLimits limits() {
        return limits;
    }

    /**
     * Decodes the readable bytes of {@code body}, which must be UTF-8.
     *
     * <p>Borrows {@code body}: it is not released, retained or modified, and its reader and writer
     * indexes are left as they were. A heap buffer is parsed in place from its backing array; any
     * other buffer is first copied into a per-thread scratch array.
     *
     * @return a new, modifiable list of the messages in the order sent; empty for {@code []}
     * @throws BayeuxDecodeException if the body is not a well-formed message or batch
     */
    public List<Message> decode(ByteBuf body) {
        int length = body.readableBytes();
        if (body.hasArray()) {
            return decode(body.array(), body.arrayOffset() + body.readerIndex(), length);
        }
        byte[] copy = scratch(length);
        body.getBytes(body.readerIndex(), copy, 0, length);
        return decode(copy, 0, length);
    }

    /**
     * Decodes {@code utf8[offset, offset + length)}. The array is only read, and no reference to it is
     * kept.
     *
     * @throws BayeuxDecodeException if the bytes are not a well-formed message or batch
     */
    public List<Message> decode(byte[] utf8, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8.length);
        if (length == 0) {
            throw new BayeuxDecodeException("empty body");
        }
        int invalid = Utf8Validation.firstInvalidByte(utf8, offset, offset + length);
        if (invalid >= 0) {
            throw new BayeuxDecodeException("invalid UTF-8 at byte " + (invalid - offset));
        }
        JsonParser p = null;
        try {
            p = factory.createParser(utf8, offset, length);
            return readBody(p, utf8, offset);
        } catch (StreamConstraintsException e) {
            throw overLimit(p, e);
        } catch (IOException e) {
            throw new BayeuxDecodeException("malformed JSON at byte " + byteOffset(e));
        } finally {
            closeQuietly(p);
        }
    }

    /**
     * Decodes JSON that arrived as text, such as the {@code message} parameter of a form post or a
     * JSONP callback-polling request. The text is encoded to UTF-8 first; an unpaired surrogate in it
     * becomes {@code ?}, as {@link String#getBytes} does.
     *
     * @throws BayeuxDecodeException if the text is not a well-formed message or batch
     */
    public List<Message> decode(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return decode(utf8, 0, utf8.length);
    }

    private List<Message> readBody(JsonParser p, byte[] src, int base) throws IOException {
        JsonToken first = p.nextToken();
        List<Message> messages;
        if (first == JsonToken.START_OBJECT) {
            messages = new ArrayList<>(1);
            messages.add(MessageReader.read(p, src, base, limits.maxStringChars()));
        } else if (first == JsonToken.START_ARRAY) {
            messages = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new BayeuxDecodeException("batch element " + messages.size() + " is not an object");
                }
                if (messages.size() == limits.maxMessagesPerBatch()) {
                    throw new BayeuxDecodeException("more than " + limits.maxMessagesPerBatch() + " messages");
                }
                messages.add(MessageReader.read(p, src, base, limits.maxStringChars()));
            }
        } else if (first == null) {
            throw new BayeuxDecodeException("empty body");
        } else {
            throw new BayeuxDecodeException("body is not a JSON object or array");
        }
        if (p.nextToken() != null) {
            throw new BayeuxDecodeException("data after the JSON value at byte "
                    + p.currentTokenLocation().getByteOffset());
        }
        return messages;
    }

    /**
     * Jackson's message names the limit but may quote input, so the reason is rebuilt here. Jackson
     * enters the too-deep context before it checks the depth, so only a nesting failure leaves the
     * parser deeper than the limit.
     */
    private BayeuxDecodeException overLimit(JsonParser p, StreamConstraintsException e) {
        if (p != null && p.getParsingContext().getNestingDepth() > limits.maxNestingDepth()) {
            return new BayeuxDecodeException("nesting deeper than " + limits.maxNestingDepth() + " levels");
        }
        return new BayeuxDecodeException("string, name or number over the size limit at byte " + byteOffset(e));
    }

    private static long byteOffset(IOException e) {
        JsonLocation location = e instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
        return location == null ? -1 : location.getByteOffset();
    }

    private static byte[] scratch(int length) {
        if (length > SCRATCH_MAX_BYTES) {
            return new byte[length];
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new byte[Math.min(SCRATCH_MAX_BYTES, Integer.highestOneBit(length - 1) << 1)];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    /** Closing a parser over an array only returns its buffers to Jackson's recycler. */
    private static void closeQuietly(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException ignored) {
                // Nothing to close but memory; the decode result stands.
            }
        }
    }
}
