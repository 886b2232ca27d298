package io.bayeuxd.bench.soak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The kinds of hostile input the garbage sender cycles through, each on a fresh connection: what it
 * sends and which answers from the broker are the right ones (from {@code docs/security.md}: 400 for
 * what cannot be parsed, 413 for oversized bodies, WebSocket close codes 1002, 1003, 1007, 1009).
 * A WebSocket kind first sends the upgrade request and, once the broker answers {@code 101}, the frame.
 */
enum GarbageKind {

    /** A request line that is not HTTP at all. */
    NOT_HTTP(false, Set.of("http 400", ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            return ascii("THIS IS NOT HTTP AT ALL\r\n\r\n");
        }
    },
    /** A header line without a colon. */
    HEADER_WITHOUT_COLON(false, Set.of("http 400", ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            return ascii("GET " + t.path() + " HTTP/1.1\r\nHost: " + t.hostHeader() + "\r\nthis header has no colon\r\n\r\n");
        }
    },
    /** A Content-Length that is not a number. */
    BAD_CONTENT_LENGTH(false, Set.of("http 400", ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            return ascii(post(t, "Content-Length: twelve\r\n") + "[{}]");
        }
    },
    /** A Bayeux POST whose JSON is cut off. */
    TRUNCATED_JSON(false, Set.of("http 400")) {
        @Override
        byte[] request(Target t) {
            return withBody(t, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",");
        }
    },
    /** Well-formed JSON that is not a Bayeux message: a Bayeux error in a 200, as Faye answers, or a 400. */
    NOT_BAYEUX_JSON(false, Set.of("http 200", "http 400")) {
        @Override
        byte[] request(Target t) {
            return withBody(t, "{\"hello\":[1,2,{\"deep\":null}],\"channel\":42}");
        }
    },
    /** JSON nested far deeper than the broker's limit (64 levels). */
    DEEP_JSON(false, Set.of("http 400")) {
        @Override
        byte[] request(Target t) {
            return withBody(t, "[".repeat(5_000) + "]".repeat(5_000));
        }
    },
    /** A Content-Length above the broker's limit; the body never follows. */
    OVERSIZED_DECLARED(false, Set.of("http 413")) {
        @Override
        byte[] request(Target t) {
            return ascii(post(t, "Content-Length: " + (t.maxMessageBytes() + 1L) + "\r\n"));
        }
    },
    /** A chunked body that grows past the broker's limit. */
    OVERSIZED_CHUNKED(false, Set.of("http 413", ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            int size = t.maxMessageBytes() + 1024;
            ByteArrayOutputStream out = new ByteArrayOutputStream(size + 256);
            out.writeBytes(ascii(post(t, "Transfer-Encoding: chunked\r\n")));
            out.writeBytes(ascii(Integer.toHexString(size) + "\r\n"));
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) ' ');
            body[0] = '[';
            out.writeBytes(body);
            out.writeBytes(ascii("\r\n0\r\n\r\n"));
            return out.toByteArray();
        }
    },
    /** Random bytes starting like a TLS ClientHello, as a client that thinks the port speaks TLS. */
    BINARY_NOISE(false, Set.of("http 400", ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            byte[] noise = new byte[512];
            new SplittableRandom(42).nextBytes(noise);
            noise[0] = 0x16;
            noise[1] = 0x03;
            noise[2] = 0x01;
            return noise;
        }
    },
    /** A binary WebSocket frame: Bayeux is text only. */
    WS_BINARY_FRAME(true, Set.of("close 1003")) {
        @Override
        byte[] frame(Target t) {
            return ProbeReply.clientFrame(0x2, new byte[] {0, 1, 2, 3, (byte) 0xFF, 0x7F}, MASK);
        }
    },
    /** A text frame that is not JSON: Faye ignores it and keeps the socket, and so does the broker. */
    WS_BAD_JSON(true, Set.of(ProbeReply.NO_ANSWER)) {
        @Override
        byte[] frame(Target t) {
            return ProbeReply.clientFrame(0x1, ascii("[{\"channel\":\"/meta/connect\","), MASK);
        }

        @Override
        long deadlineMs(long idleTimeoutMs) {
            return 2_000;
        }
    },
    /** A text frame that is not valid UTF-8. */
    WS_INVALID_UTF8(true, Set.of("close 1007", "close 1002", ProbeReply.CLOSED)) {
        @Override
        byte[] frame(Target t) {
            return ProbeReply.clientFrame(0x1, new byte[] {'[', '"', (byte) 0xC3, 0x28, '"', ']'}, MASK);
        }
    },
    /** A client frame without the mask RFC 6455 requires. */
    WS_UNMASKED(true, Set.of("close 1002", ProbeReply.CLOSED)) {
        @Override
        byte[] frame(Target t) {
            return ProbeReply.clientFrame(0x1, ascii("[]"), null);
        }
    },
    /** A text message above the broker's limit. */
    WS_OVERSIZED(true, Set.of("close 1009")) {
        @Override
        byte[] frame(Target t) {
            byte[] payload = new byte[t.maxMessageBytes() + 1];
            Arrays.fill(payload, (byte) ' ');
            payload[0] = '[';
            return ProbeReply.clientFrame(0x1, payload, MASK);
        }
    },
    /**
     * Half a request, then silence, holding the connection (slowloris): the broker's idle timeout
     * must close it. At most one is outstanding.
     */
    HALF_REQUEST(false, Set.of(ProbeReply.CLOSED)) {
        @Override
        byte[] request(Target t) {
            return ascii("POST " + t.path() + " HTTP/1.1\r\nHost: " + t.hostHeader() + "\r\nContent-Le");
        }

        @Override
        long deadlineMs(long idleTimeoutMs) {
            return idleTimeoutMs + 15_000;
        }
    };

    static final long DEFAULT_DEADLINE_MS = 5_000;
    private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private final boolean webSocket;
    private final Set<String> expected;

    GarbageKind(boolean webSocket, Set<String> expected) {
        this.webSocket = webSocket;
        this.expected = expected;
    }

    /** Whether the probe upgrades to WebSocket first and then sends {@link #frame}. */
    boolean webSocket() {
        return webSocket;
    }

    /** Outcomes that show the broker handled this input correctly. */
    Set<String> expected() {
        return expected;
    }

    /** The bytes sent first: for a WebSocket kind, the upgrade request. */
    byte[] request(Target t) {
        return ascii("GET " + t.path() + " HTTP/1.1\r\nHost: " + t.hostHeader() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: c29hay1nYXJiYWdlLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    /** The frame sent after the upgrade; WebSocket kinds only. */
    byte[] frame(Target t) {
        throw new UnsupportedOperationException(name() + " sends no frame");
    }

    /** How long the probe waits for a conclusive answer. */
    long deadlineMs(long idleTimeoutMs) {
        return DEFAULT_DEADLINE_MS;
    }

    private static String post(Target t, String extraHeaders) {
        return "POST " + t.path() + " HTTP/1.1\r\nHost: " + t.hostHeader() + "\r\nContent-Type: application/json\r\n"
                + extraHeaders + "\r\n";
    }

    private static byte[] withBody(Target t, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ascii(post(t, "Content-Length: " + bytes.length + "\r\n") + body);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the garbage goes and how large "oversized" is. */
    record Target(String hostHeader, String path, int maxMessageBytes) {
    }
}
