package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Bayeux frames from a server with Jackson's streaming parser, keeping only what the
 * generator acts on (see {@link ServerMessage}) and skipping everything else without building it.
 *
 * <p>A frame is a JSON array of messages, or a single message object. Channel names and advice
 * values are matched against the parser's character buffer, so a delivery costs no String. The
 * strings inside {@code data} (the padding) are skipped, never decoded.
 *
 * <p>Not thread-safe: one parser per event loop.
 */
public final class ServerFrameParser {

    /** Returned by {@link #parse} when the frame is not a Bayeux message or array of messages. */
    public static final int MALFORMED = -1;

    private static final char[] META = "/meta/".toCharArray();
    private static final char[] SERVICE = "/service/".toCharArray();

    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private final ServerMessage message = new ServerMessage();

    /**
     * Parses one frame and hands each message to {@code sink} as soon as it is read.
     *
     * @param frame borrowed: read from its reader index, neither moved nor released
     * @return the number of messages handed to the sink, or {@link #MALFORMED}; messages read
     *         before the fault was found have already reached the sink
     */
    public int parse(ByteBuf frame, ServerMessageSink sink) {
        try (JsonParser parser = open(frame)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                readMessage(parser);
                sink.onMessage(message);
                return 1;
            }
            if (token != JsonToken.START_ARRAY) {
                return MALFORMED;
            }
            int count = 0;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                readMessage(parser);
                sink.onMessage(message);
                count++;
            }
            return token == JsonToken.END_ARRAY ? count : MALFORMED;
        } catch (IOException | RuntimeException e) {
            // Jackson reports malformed input by exception; turn it into the return code at this one boundary.
            return MALFORMED;
        }
    }

    private JsonParser open(ByteBuf frame) throws IOException {
        if (frame.hasArray()) {
            return factory.createParser(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
        }
        return factory.createParser((InputStream) new ByteBufInputStream(frame.duplicate(), false));
    }

    /** Reads the members of an object whose START_OBJECT was just consumed, up to its END_OBJECT. */
    private void readMessage(JsonParser parser) throws IOException {
        ServerMessage m = message;
        m.reset();
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "channel":
                    if (value == JsonToken.VALUE_STRING) {
                        m.kind = classifyChannel(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    }
                    break;
                case "successful":
                    if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                        m.successful = value == JsonToken.VALUE_TRUE;
                    }
                    break;
                case "clientId":
                    if (value == JsonToken.VALUE_STRING) {
                        m.clientId = parser.getText();
                    }
                    break;
                case "error":
                    if (value == JsonToken.VALUE_STRING) {
                        m.error = parser.getText();
                    }
                    break;
                case "advice":
                    if (value == JsonToken.START_OBJECT) {
                        readAdvice(parser, m);
                    } else {
                        parser.skipChildren();
                    }
                    break;
                case "data":
                    m.hasData = true;
                    if (value == JsonToken.START_OBJECT) {
                        readData(parser, m);
                    } else {
                        parser.skipChildren();
                    }
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
    }

    private static void readAdvice(JsonParser parser, ServerMessage m) throws IOException {
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "reconnect":
                    if (value == JsonToken.VALUE_STRING) {
                        m.reconnect = classifyReconnect(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    }
                    break;
                case "interval":
                    if (value.isNumeric()) {
                        m.adviceIntervalMs = parser.getValueAsLong();
                    }
                    break;
                case "timeout":
                    if (value.isNumeric()) {
                        m.adviceTimeoutMs = parser.getValueAsLong();
                    }
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
    }

    private static void readData(JsonParser parser, ServerMessage m) throws IOException {
        boolean hasTs = false;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "ts":
                    if (value.isNumeric()) {
                        // A server written in JavaScript may hand an integer back as a double; both read as long.
                        m.timestamp = parser.getValueAsLong();
                        hasTs = true;
                    }
                    break;
                case "seq":
                    if (value.isNumeric()) {
                        m.sequence = parser.getValueAsLong();
                    }
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
        m.hasTimestamp = hasTs;
    }

    static ServerMessage.Kind classifyChannel(char[] chars, int offset, int length) {
        if (startsWith(chars, offset, length, META)) {
            int nameOffset = offset + META.length;
            int nameLength = length - META.length;
            if (equalsAscii(chars, nameOffset, nameLength, "connect")) {
                return ServerMessage.Kind.CONNECT;
            }
            if (equalsAscii(chars, nameOffset, nameLength, "handshake")) {
                return ServerMessage.Kind.HANDSHAKE;
            }
            if (equalsAscii(chars, nameOffset, nameLength, "subscribe")) {
                return ServerMessage.Kind.SUBSCRIBE;
            }
            if (equalsAscii(chars, nameOffset, nameLength, "unsubscribe")) {
                return ServerMessage.Kind.UNSUBSCRIBE;
            }
            if (equalsAscii(chars, nameOffset, nameLength, "disconnect")) {
                return ServerMessage.Kind.DISCONNECT;
            }
            return ServerMessage.Kind.OTHER_META;
        }
        if (startsWith(chars, offset, length, SERVICE)) {
            return ServerMessage.Kind.SERVICE;
        }
        return ServerMessage.Kind.BROADCAST;
    }

    static ServerMessage.Reconnect classifyReconnect(char[] chars, int offset, int length) {
        if (equalsAscii(chars, offset, length, "retry")) {
            return ServerMessage.Reconnect.RETRY;
        }
        if (equalsAscii(chars, offset, length, "handshake")) {
            return ServerMessage.Reconnect.HANDSHAKE;
        }
        if (equalsAscii(chars, offset, length, "none")) {
            return ServerMessage.Reconnect.NONE;
        }
        return ServerMessage.Reconnect.UNKNOWN;
    }

    private static boolean startsWith(char[] chars, int offset, int length, char[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (chars[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsAscii(char[] chars, int offset, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (chars[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
