package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Writes the Bayeux requests of one client session as JSON arrays of one message, straight into a
 * {@link ByteBuf}. Every write method borrows its {@code out} buffer: the caller owns it before
 * and after.
 *
 * <p>Publishes are the hot path: the constant part of each message up to the timestamp is encoded
 * once per channel and copied in, numbers are written digit by digit, and the padding comes from
 * one shared array, so a publish allocates nothing but its buffer.
 *
 * <p>{@code --size} is the serialized size of the {@code data} object:
 * {@code {"ts":T,"seq":S,"pad":"xx…"}}. The padding shrinks as the numbers grow so that every
 * message has that exact size, unless the numbers alone are longer.
 */
public final class RequestEncoder {

    /** Bytes of {@code {"ts":,"seq":,"pad":""}} around the two numbers and the padding. */
    static final int DATA_OVERHEAD_BYTES = "{\"ts\":,\"seq\":,\"pad\":\"\"}".length();

    private static final byte[] SEQ_FIELD = ascii(",\"seq\":");
    private static final byte[] PAD_FIELD = ascii(",\"pad\":\"");
    private static final byte[] ID_FIELD = ascii("\"},\"id\":\"");
    private static final byte[] MESSAGE_END = ascii("\"}]");
    private static final byte[] CONNECT_START = ascii("[{\"channel\":\"/meta/connect\",\"clientId\":\"");
    private static final byte[] CONNECTION_TYPE_FIELD = ascii("\",\"connectionType\":\"");
    private static final byte[] SUBSCRIBE_START = ascii("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"");
    private static final byte[] SUBSCRIPTION_FIELD = ascii("\",\"subscription\":\"");
    private static final byte[] DISCONNECT_START = ascii("[{\"channel\":\"/meta/disconnect\",\"clientId\":\"");
    private static final byte[] ID_AFTER_STRING = ascii("\",\"id\":\"");

    private final byte[] connectionType;
    private final byte[] padding;
    private final int payloadBytes;
    private byte[] clientIdJson = new byte[0];
    /** Per channel: {@code [{"channel":"/bench/N","clientId":"…","data":{"ts":}, rebuilt when the client id changes. */
    private byte[][] publishPrefixes = new byte[0][];

    /**
     * @param transport    the transport named in {@code /meta/connect}
     * @param payloadBytes target size of each publish's {@code data}
     */
    public RequestEncoder(TransportKind transport, int payloadBytes) {
        this(transport, payloadBytes, false);
    }

    /**
     * @param textPayload pad with words of text drawn from a small vocabulary (a fixed sequence, each
     *                    message starting at another place in it), which compresses about as a Webix
     *                    record's free text does, instead of one repeated letter
     */
    public RequestEncoder(TransportKind transport, int payloadBytes, boolean textPayload) {
        this.connectionType = ascii(transport.bayeuxName());
        this.payloadBytes = payloadBytes;
        int padBytes = Math.max(0, payloadBytes - DATA_OVERHEAD_BYTES);
        this.textPayload = textPayload;
        if (textPayload) {
            // Room for every message to start its text at another place: two messages share words, as two
            // records do, not whole runs of text (which would flatter a compressor that sees both).
            this.padding = new byte[padBytes + TEXT_BYTES];
            fillWithWords(padding);
        } else {
            this.padding = new byte[padBytes];
            Arrays.fill(padding, (byte) 'x');
        }
    }

    /** Text beyond one message's padding that the per-message start of {@code --text} moves over. */
    private static final int TEXT_BYTES = 64 * 1024;
    private final boolean textPayload;

    private static final String[] WORDS = ("rear window vertigo psycho notorious rebecca rope marnie spellbound saboteur "
            + "frenzy the of and a in to with for on at by from night day house city man woman story last first thriller "
            + "drama mystery comedy romance crime western director cast release review rating").split(" ");

    /** Words separated by spaces, drawn by a fixed-seed generator: the same text every run. */
    private static void fillWithWords(byte[] padding) {
        Random random = new Random(42);
        int i = 0;
        while (i < padding.length) {
            byte[] word = ascii(WORDS[random.nextInt(WORDS.length)] + ' ');
            int n = Math.min(word.length, padding.length - i);
            System.arraycopy(word, 0, padding, i, n);
            i += n;
        }
    }

    /** Sets the id used by every later request, as the server sent it in the handshake reply. */
    public void clientId(String clientId) {
        clientIdJson = jsonStringContent(clientId);
        publishPrefixes = new byte[publishPrefixes.length][];
    }

    /** Name of a benchmark channel. */
    public static String channelName(int channel) {
        return "/bench/" + channel;
    }

    public void handshake(ByteBuf out, long id) {
        out.writeBytes(ascii("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"minimumVersion\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"websocket\",\"long-polling\"],\"id\":\""));
        writeDecimal(out, id);
        out.writeBytes(MESSAGE_END);
    }

    public void connect(ByteBuf out, long id) {
        out.writeBytes(CONNECT_START);
        out.writeBytes(clientIdJson);
        out.writeBytes(CONNECTION_TYPE_FIELD);
        out.writeBytes(connectionType);
        out.writeBytes(ID_AFTER_STRING);
        writeDecimal(out, id);
        out.writeBytes(MESSAGE_END);
    }

    public void subscribe(ByteBuf out, long id, int channel) {
        out.writeBytes(SUBSCRIBE_START);
        out.writeBytes(clientIdJson);
        out.writeBytes(SUBSCRIPTION_FIELD);
        out.writeBytes(ascii(channelName(channel)));
        out.writeBytes(ID_AFTER_STRING);
        writeDecimal(out, id);
        out.writeBytes(MESSAGE_END);
    }

    public void disconnect(ByteBuf out, long id) {
        out.writeBytes(DISCONNECT_START);
        out.writeBytes(clientIdJson);
        out.writeBytes(ID_AFTER_STRING);
        writeDecimal(out, id);
        out.writeBytes(MESSAGE_END);
    }

    /**
     * Writes {@code [{"channel":"/bench/N","clientId":"…","data":{"ts":T,"seq":S,"pad":"…"},"id":"I"}]}.
     *
     * @param timestamp non-negative; the subscriber's clock minus this is the latency
     */
    public void publish(ByteBuf out, long id, int channel, long timestamp, long sequence) {
        out.writeBytes(publishPrefix(channel));
        writeDecimal(out, timestamp);
        out.writeBytes(SEQ_FIELD);
        writeDecimal(out, sequence);
        out.writeBytes(PAD_FIELD);
        int padLength = payloadBytes - DATA_OVERHEAD_BYTES - decimalLength(timestamp) - decimalLength(sequence);
        if (padLength > 0) {
            // With text, a start that moves by a prime for each message, inside the extra text.
            int start = textPayload ? (int) ((sequence * 7919) % TEXT_BYTES) : 0;
            out.writeBytes(padding, start, padLength);
        }
        out.writeBytes(ID_FIELD);
        writeDecimal(out, id);
        out.writeBytes(MESSAGE_END);
    }

    /** Upper bound of a publish's encoded size, to size buffers. */
    public int publishSizeHint() {
        return 96 + clientIdJson.length + Math.max(payloadBytes, DATA_OVERHEAD_BYTES + 40);
    }

    private byte[] publishPrefix(int channel) {
        if (channel >= publishPrefixes.length) {
            publishPrefixes = Arrays.copyOf(publishPrefixes, Math.max(channel + 1, publishPrefixes.length * 2));
        }
        byte[] prefix = publishPrefixes[channel];
        if (prefix == null) {
            byte[] start = ascii("[{\"channel\":\"" + channelName(channel) + "\",\"clientId\":\"");
            byte[] end = ascii("\",\"data\":{\"ts\":");
            prefix = new byte[start.length + clientIdJson.length + end.length];
            System.arraycopy(start, 0, prefix, 0, start.length);
            System.arraycopy(clientIdJson, 0, prefix, start.length, clientIdJson.length);
            System.arraycopy(end, 0, prefix, start.length + clientIdJson.length, end.length);
            publishPrefixes[channel] = prefix;
        }
        return prefix;
    }

    /** Writes a non-negative long in decimal without allocating. */
    static void writeDecimal(ByteBuf out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        int length = decimalLength(value);
        out.ensureWritable(length);
        int start = out.writerIndex();
        for (int i = start + length - 1; i >= start; i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(start + length);
    }

    static int decimalLength(long value) {
        int length = 1;
        while (value >= 10) {
            value /= 10;
            length++;
        }
        return length;
    }

    /** The UTF-8 bytes of {@code value} escaped for use between JSON quotes. */
    static byte[] jsonStringContent(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
