package io.bayeuxd.transport.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * The headers of a WebSocket's upgrade request, kept for the life of the connection so that
 * extensions can read them at any later message, in one string of {@code name:value\n} lines.
 *
 * <p>Why not {@link HttpHeaders#copy()}: that keeps an entry object, a name and a value object per
 * header and a hash table, about 800 bytes for a browser's upgrade request, on every idle WebSocket.
 * Lookups are rare (an extension reading a cookie or a token), so a scan is fine. The headers that only
 * describe the handshake or the hop, which are over once the connection is upgraded, are not kept.
 */
public final class HeaderCopy {
    private static final AsciiString[] NOT_KEPT = {HttpHeaderNames.SEC_WEBSOCKET_KEY, HttpHeaderNames.SEC_WEBSOCKET_VERSION,
            HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, HttpHeaderNames.UPGRADE, HttpHeaderNames.CONNECTION,
            HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING};

    private final String lines;

    private HeaderCopy(String lines) {
        this.lines = lines;
    }

    public static HeaderCopy of(HttpHeaders headers) {
        StringBuilder lines = new StringBuilder(256);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence name = h.getKey();
            CharSequence value = h.getValue();
            // Netty's decoder lets neither through; checked so that one line is always one header.
            if (!isKept(name) || contains(name, ':') || contains(name, '\n') || contains(value, '\n')) {
                continue;
            }
            lines.append(name).append(':').append(value).append('\n');
        }
        return new HeaderCopy(lines.toString());
    }

    /** The headers as {@code name:value\n} lines, to carry them to another node. */
    public String lines() {
        return lines;
    }

    /** Headers from {@link #lines()}. */
    public static HeaderCopy ofLines(String lines) {
        return new HeaderCopy(lines);
    }

    /** The first value of header {@code name} (any case), or null; as {@link HttpHeaders#get(String)}. */
    String get(String name) {
        int n = name.length();
        for (int at = 0; at < lines.length(); ) {
            int end = lines.indexOf('\n', at);
            if (end - at > n && lines.charAt(at + n) == ':' && lines.regionMatches(true, at, name, 0, n)) {
                return lines.substring(at + n + 1, end);
            }
            at = end + 1;
        }
        return null;
    }

    private static boolean isKept(CharSequence name) {
        for (AsciiString dropped : NOT_KEPT) {
            if (dropped.contentEqualsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }
}
