package io.bayeuxd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes Bayeux messages as JSON straight into Netty buffers: replies with {@link #writeMessage} and
 * {@link #writeArray}, and a published message, once for all its subscribers, with
 * {@link #encodeDelivery} (step 4 of the message path).
 *
 * <p>No tree, String or byte[] is built per message: field names are constants, strings are escaped
 * and encoded to UTF-8 in place (see {@link JsonOutput}), and {@code id}, {@code data} and
 * {@code ext} are copied verbatim from their {@link JsonValue} bytes, which the decoder or
 * {@link JsonValue} has already checked. Stateless and safe to share between threads.
 */
public final class BayeuxEncoder {
    private static final byte[] ID = name("id");
    private static final byte[] CLIENT_ID = name("clientId");
    private static final byte[] CHANNEL = name("channel");
    private static final byte[] SUCCESSFUL = name("successful");
    private static final byte[] ERROR = name("error");
    private static final byte[] SUBSCRIPTION = name("subscription");
    private static final byte[] VERSION = name("version");
    private static final byte[] SUPPORTED_CONNECTION_TYPES = name("supportedConnectionTypes");
    private static final byte[] MINIMUM_VERSION = name("minimumVersion");
    private static final byte[] CONNECTION_TYPE = name("connectionType");
    private static final byte[] ADVICE = name("advice");
    private static final byte[] RECONNECT = name("reconnect");
    private static final byte[] INTERVAL = name("interval");
    private static final byte[] TIMEOUT = name("timeout");
    private static final byte[] DATA = name("data");
    private static final byte[] EXT = name("ext");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    /** What {@link #publishNanos} returns for a delivery that carries no publish time. */
    public static final long NO_PUBLISH_TIME = Long.MIN_VALUE;
    private static final int STAMP_BYTES = Long.BYTES;

    /**
     * Appends {@code m} as one JSON object at {@code out}'s writer index, growing {@code out} as needed.
     * Borrows {@code out}: it is not released or retained.
     *
     * <p>Present fields only, in this order: id, clientId, channel, successful, error, subscription,
     * version, supportedConnectionTypes, minimumVersion, connectionType, advice, data, ext. The
     * subscription is written as a string when {@code subscriptionIsArray()} is false and it holds one
     * channel, otherwise as an array; advice holds only its non-null parts.
     */
    public void writeMessage(Message m, ByteBuf out) {
        int open = out.writerIndex();
        out.writeByte('{');
        writeRaw(out, open, ID, m.id());
        writeString(out, open, CLIENT_ID, m.clientId());
        writeString(out, open, CHANNEL, m.channel());
        Boolean successful = m.successful();
        if (successful != null) {
            fieldName(out, open, SUCCESSFUL);
            out.writeBytes(successful ? TRUE : FALSE);
        }
        writeString(out, open, ERROR, m.error());
        List<String> subscription = m.subscription();
        if (subscription != null) {
            fieldName(out, open, SUBSCRIPTION);
            if (!m.subscriptionIsArray() && subscription.size() == 1) {
                JsonOutput.writeString(out, subscription.get(0));
            } else {
                writeStringArray(out, subscription);
            }
        }
        writeString(out, open, VERSION, m.version());
        List<String> types = m.supportedConnectionTypes();
        if (types != null) {
            fieldName(out, open, SUPPORTED_CONNECTION_TYPES);
            writeStringArray(out, types);
        }
        writeString(out, open, MINIMUM_VERSION, m.minimumVersion());
        writeString(out, open, CONNECTION_TYPE, m.connectionType());
        Advice advice = m.advice();
        if (advice != null) {
            fieldName(out, open, ADVICE);
            writeAdvice(out, advice);
        }
        writeRaw(out, open, DATA, m.data());
        writeRaw(out, open, EXT, m.ext());
        out.writeByte('}');
    }

    /** Appends {@code messages} as a JSON array, {@code [m1,m2]}. Borrows {@code out}. */
    public void writeArray(List<Message> messages, ByteBuf out) {
        out.writeByte('[');
        for (int i = 0, n = messages.size(); i < n; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            writeMessage(messages.get(i), out);
        }
        out.writeByte(']');
    }

    /**
     * Encodes {@code published} in the form delivered to subscribers,
     * {@code {"channel":..,"data":..,"id":..,"ext":..}}, with id and ext only when present and never
     * the publisher's clientId (Faye strips it on delivery).
     *
     * <p>Call once per publish and share the result: the fan-out takes one reference per subscriber with
     * a single {@code retain(n)}, so every outbox holds this same buffer, and each drain copies its
     * readable bytes without moving its indices, then releases its reference. The buffer is allocated at
     * its exact final size, so it never grows. It is a {@link SharedDelivery}, which can keep a transport's
     * compressed copy of the same bytes for as long as it lives.
     *
     * @return a new buffer with reference count 1, owned by the caller, who must release it
     * @throws IllegalArgumentException if {@code published} has no channel or no data, which the publish
     *                                  handler must have rejected
     */
    public ByteBuf encodeDelivery(Message published, ByteBufAllocator alloc) {
        return encodeDelivery(published, alloc, 0, NO_PUBLISH_TIME);
    }

    /**
     * As {@link #encodeDelivery(Message, ByteBufAllocator)}, and the buffer also carries the time it was
     * published in the 8 bytes before its reader index, where no reader of the readable bytes sees them.
     * Every transport's frame writer can then measure publish-to-write latency once per frame from the
     * oldest message it drains ({@link #publishNanos}), at the cost of one 8-byte write per publish.
     *
     * @param publishNanos a reading of the broker's nanosecond clock
     */
    public ByteBuf encodeDelivery(Message published, ByteBufAllocator alloc, long publishNanos) {
        return encodeDelivery(published, alloc, STAMP_BYTES, publishNanos);
    }

    /**
     * The publish time carried by a buffer from {@link #encodeDelivery(Message, ByteBufAllocator, long)},
     * or {@link #NO_PUBLISH_TIME}. BORROWS {@code delivery}, which must not have been released.
     */
    public static long publishNanos(ByteBuf delivery) {
        int at = delivery.readerIndex() - STAMP_BYTES;
        return at >= 0 ? delivery.getLong(at) : NO_PUBLISH_TIME;
    }

    private ByteBuf encodeDelivery(Message published, ByteBufAllocator alloc, int headroom, long publishNanos) {
        String channel = published.channel();
        JsonValue data = published.data();
        if (channel == null || data == null) {
            throw new IllegalArgumentException("a delivered message needs a channel and data");
        }
        JsonValue id = published.id();
        JsonValue ext = published.ext();
        int channelLength = JsonOutput.stringLength(channel);
        int size = 1 + CHANNEL.length + channelLength + 1 + DATA.length + data.bytes().length + 1;
        if (id != null) {
            size += 1 + ID.length + id.bytes().length;
        }
        if (ext != null) {
            size += 1 + EXT.length + ext.bytes().length;
        }
        ByteBuf out = alloc.buffer(headroom + size);
        if (headroom > 0) {
            out.writeLong(publishNanos);
            out.readerIndex(out.writerIndex());
        }
        int open = out.writerIndex();
        out.writeByte('{');
        fieldName(out, open, CHANNEL);
        JsonOutput.writeString(out, channel, channelLength);
        writeRaw(out, open, DATA, data);
        writeRaw(out, open, ID, id);
        writeRaw(out, open, EXT, ext);
        out.writeByte('}');
        return new SharedDelivery(out);
    }

    private static void writeAdvice(ByteBuf out, Advice advice) {
        int open = out.writerIndex();
        out.writeByte('{');
        writeString(out, open, RECONNECT, advice.reconnect());
        writeLong(out, open, INTERVAL, advice.intervalMs());
        writeLong(out, open, TIMEOUT, advice.timeoutMs());
        out.writeByte('}');
    }

    private static void writeStringArray(ByteBuf out, List<String> strings) {
        out.writeByte('[');
        for (int i = 0, n = strings.size(); i < n; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            JsonOutput.writeString(out, strings.get(i));
        }
        out.writeByte(']');
    }

    private static void writeString(ByteBuf out, int open, byte[] name, String value) {
        if (value != null) {
            fieldName(out, open, name);
            JsonOutput.writeString(out, value);
        }
    }

    private static void writeLong(ByteBuf out, int open, byte[] name, Long value) {
        if (value != null) {
            fieldName(out, open, name);
            JsonOutput.writeLong(out, value);
        }
    }

    private static void writeRaw(ByteBuf out, int open, byte[] name, JsonValue value) {
        if (value != null) {
            fieldName(out, open, name);
            out.writeBytes(value.bytes());
        }
    }

    /**
     * Writes {@code "name":}, preceded by a comma unless it is the first field of the object whose
     * {@code {} was written at index {@code open}; this spares every writer a "first" flag.
     */
    private static void fieldName(ByteBuf out, int open, byte[] quotedNameAndColon) {
        if (out.writerIndex() != open + 1) {
            out.writeByte(',');
        }
        out.writeBytes(quotedNameAndColon);
    }

    private static byte[] name(String name) {
        return ascii('"' + name + "\":");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
