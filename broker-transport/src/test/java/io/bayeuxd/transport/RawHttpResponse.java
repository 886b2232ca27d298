package io.bayeuxd.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP response as it appeared on the wire, and a strict reader of a server's output: every byte
 * must belong to a whole, well-formed HTTP/1.1 response (status line, {@code name: value} headers, a
 * {@code Content-Length} and exactly that many body bytes), up to a {@code 101 Switching Protocols}, after
 * which the rest belongs to the WebSocket.
 *
 * @param headers lower-cased names, last value wins (the broker never repeats a header)
 */
public record RawHttpResponse(int status, Map<String, String> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [\\x20-\\x7E]*");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([\\x20-\\x7E\\t]*)");

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; fails the test when it is not. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + text(), e);
        }
    }

    public boolean isFinal() {
        return status >= 200 || status == 101;
    }

    /** The responses on the wire and the bytes after a {@code 101}, if any. */
    public record Wire(List<RawHttpResponse> responses, byte[] afterUpgrade) {
        public List<RawHttpResponse> finals() {
            return responses.stream().filter(RawHttpResponse::isFinal).toList();
        }

        public boolean upgraded() {
            return afterUpgrade != null;
        }
    }

    public static Wire read(byte[] wire) {
        return read(wire, new ArrayDeque<>());
    }

    /** The responses {@code ch} has written since they were last read, read strictly (see {@link #read(byte[], Queue)}). */
    public static List<RawHttpResponse> responses(EmbeddedChannel ch) {
        return read(Outbound.written(ch)).responses();
    }

    /**
     * Reads {@code wire} strictly; throws {@link AssertionError} on anything else.
     *
     * @param headRequests one entry per request sent, in order: whether it was a {@code HEAD}, whose
     *                     response may have a {@code Content-Length} but no body. Consumed per final response.
     */
    public static Wire read(byte[] wire, Queue<Boolean> headRequests) {
        List<RawHttpResponse> responses = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int end = indexOf(wire, at, "\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("truncated response head: " + printable(wire, at));
            }
            String[] lines = new String(wire, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n", -1);
            Matcher status = STATUS_LINE.matcher(lines[0]);
            if (!status.matches()) {
                throw new AssertionError("bad status line: " + printable(wire, at));
            }
            int code = Integer.parseInt(status.group(1));
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                Matcher h = HEADER.matcher(lines[i]);
                if (!h.matches()) {
                    throw new AssertionError("bad header line '" + lines[i] + "' in " + printable(wire, at));
                }
                headers.put(h.group(1).toLowerCase(Locale.ROOT), h.group(2).trim());
            }
            at = end + 4;
            if (code == 101) {
                responses.add(new RawHttpResponse(code, headers, new byte[0]));
                return new Wire(responses, Arrays.copyOfRange(wire, at, wire.length));
            }
            if (code < 200) {
                responses.add(new RawHttpResponse(code, headers, new byte[0]));
                continue;
            }
            Boolean head = headRequests.poll();
            if (code == 304 || code == 204) {
                // Never a body (RFC 9110 6.4.1), whatever the headers say.
                responses.add(new RawHttpResponse(code, headers, new byte[0]));
                continue;
            }
            String length = headers.get("content-length");
            if (length == null || !length.matches("\\d{1,9}")) {
                throw new AssertionError("no valid content-length in " + printable(wire, end));
            }
            int n = Integer.parseInt(length);
            // The codec drops the body of a response to a HEAD it could parse; one it could not parse is
            // answered as a GET. What follows a body-less response is the next status line or nothing.
            if (Boolean.TRUE.equals(head) && (at == wire.length || startsWith(wire, at, "HTTP/1.1 "))) {
                n = 0;
            }
            if (at + n > wire.length) {
                throw new AssertionError("truncated body: want " + n + " bytes, have " + (wire.length - at));
            }
            responses.add(new RawHttpResponse(code, headers, Arrays.copyOfRange(wire, at, at + n)));
            at += n;
        }
        return new Wire(responses, null);
    }

    private static int indexOf(byte[] b, int from, String needle) {
        outer:
        for (int i = from; i <= b.length - needle.length(); i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (b[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, String prefix) {
        return indexOf(Arrays.copyOfRange(b, at, Math.min(b.length, at + prefix.length())), 0, prefix) == 0;
    }

    private static String printable(byte[] b, int from) {
        String s = new String(b, from, Math.min(300, b.length - from), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
