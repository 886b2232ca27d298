package io.bayeuxd.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.protocol.BayeuxDecodeException;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static io.bayeuxd.transport.EmbeddedBroker.postJson;
import static io.bayeuxd.transport.EmbeddedBroker.send;
import static io.bayeuxd.transport.EmbeddedBroker.settle;
import static io.bayeuxd.transport.Outbound.written;
import static io.bayeuxd.transport.HostileInputs.bytes;
import static io.bayeuxd.transport.HostileInputs.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against the production HTTP pipeline ({@link EmbeddedBroker}): random bytes, random
 * HTTP-ish requests, and hostile Bayeux bodies over the three polling transports. For every input:
 * <ul>
 *   <li>no exception escapes the pipeline, and none is swallowed by a handler's {@code exceptionCaught}
 *       (which closes without an answer) unless it is a known bug, see {@link SwallowedErrors#KNOWN_BUGS};</li>
 *   <li>every byte written back is part of a well-formed HTTP/1.1 response whose status is one the broker
 *       documents (200, 400, 403, 404, 405 for a client-script path, 413), or one Netty's codec sends for {@code Expect} (100, 417) and
 *       WebSocket upgrades (101, 426) when the request asked for those;</li>
 *   <li>every complete request gets its answer, or the connection is closed;</li>
 *   <li>nothing reaches the end of the pipeline unhandled, and no buffer leaks ({@link LeakWatch} after
 *       each property; every buffer read here is released, every channel finished);</li>
 *   <li>afterwards a fresh connection to the same broker still handshakes, subscribes, publishes and
 *       receives.</li>
 * </ul>
 */
class HttpPipelinePropertiesTest extends HostilePipelineProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> DOCUMENTED = Set.of(200, 400, 403, 404, 405, 413);
    /** {@code HttpServerCodec}'s default, which the broker keeps. */
    private static final int MAX_INITIAL_LINE_LENGTH = 4096;

    private int round;

    private EmbeddedChannel open() {
        return tries.track(server.open());
    }

    // ---- properties ----

    @Property(tries = 300)
    void randomBytesGetWellFormedAnswersOrAClose(@ForAll("garbage") byte[] raw, @ForAll @IntRange(min = 1, max = 600) int chunk) {
        EmbeddedChannel ch = open();
        send(ch, raw, chunk);
        settle(ch);
        RawHttpResponse.Wire wire = RawHttpResponse.read(written(ch));
        assertThat(wire.upgraded()).isFalse();
        for (RawHttpResponse r : wire.responses()) {
            assertThat(r.status()).isIn(DOCUMENTED);
            Statistics.label("status").collect(r.status());
        }
        assertCleanAfter(ch);
    }

    @Property(tries = 300)
    void httpishRequestsGetOneAnswerEachOrAClose(@ForAll("requests") List<HttpishRequest> requests,
                                                 @ForAll @IntRange(min = 1, max = 600) int chunk) {
        EmbeddedChannel ch = open();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Queue<Boolean> heads = new ArrayDeque<>();
        boolean expect = false;
        boolean upgrade = false;
        boolean complete = true;
        for (HttpishRequest r : requests) {
            all.writeBytes(r.raw());
            heads.add(r.method().equals("HEAD"));
            expect |= r.expect();
            upgrade |= r.upgrade();
            complete &= r.framing().complete;
        }
        send(ch, all.toByteArray(), chunk);
        settle(ch);
        RawHttpResponse.Wire wire = RawHttpResponse.read(written(ch), heads);
        for (RawHttpResponse r : wire.responses()) {
            Statistics.label("status").collect(r.status());
            if (r.status() == 100 || r.status() == 417) {
                assertThat(expect).as("%d without Expect", r.status()).isTrue();
            } else if (r.status() == 101 || r.status() == 426) {
                assertThat(upgrade).as("%d without Upgrade", r.status()).isTrue();
            } else {
                assertThat(r.status()).isIn(DOCUMENTED);
            }
        }
        if (wire.upgraded()) {
            // Whatever followed the upgrade was read as WebSocket frames (none reach the end of the
            // pipeline, which assertCleanAfter checks); the answer must be frames too.
            WebSocketWire.read(wire.afterUpgrade());
        } else if (expect) {
            // A failed expectation (417, or 413 for 100-continue) tells the client not to send the body, so
            // Netty's codec reads the body that came anyway as the next request: no count to check.
            Statistics.label("expect").collect(wire.finals().size() - requests.size());
        } else if (!complete) {
            // The client's framing is off: the bytes past a short length are read as more requests, and a
            // long length waits for bytes that never come. Only the well-formedness above applies.
            Statistics.label("framing off").collect(wire.finals().size() - requests.size());
        } else if (upgrade) {
            // A malformed request that asks for an upgrade may get 426 and leave the codec discarding all
            // later input on an open connection: a known bug, see HostileInputAnswersTest.
            assertThat(wire.finals().size()).isLessThanOrEqualTo(requests.size());
        } else if (ch.isActive()) {
            assertThat(wire.finals()).as("one answer per complete request on an open connection").hasSize(requests.size());
        } else {
            assertThat(wire.finals().size()).as("at most one answer per request before the close").isLessThanOrEqualTo(requests.size());
        }
        assertCleanAfter(ch);
    }

    /**
     * A hostile body over long-polling, cross-origin long-polling (form) or callback-polling (JSONP):
     * answered 200 exactly when the decoder accepts it, with one reply per message, otherwise 400; the
     * connection stays usable either way.
     */
    @Property(tries = 400)
    void hostileBayeuxBodiesAreAnsweredAsTheDecoderDecides(@ForAll("pollingRequests") PollingRequest request) {
        EmbeddedChannel ch = open();
        send(ch, request.raw());
        settle(ch);
        List<RawHttpResponse> answers = RawHttpResponse.read(written(ch)).responses();
        Statistics.label("transport").collect(request.kind());
        int line = request.requestLineLength();
        if (line >= MAX_INITIAL_LINE_LENGTH - 2) {
            // Over HttpServerCodec's limit on the request line: 400 and close. Right at the limit, where
            // the codec counts the CR or not, only check that the answer is one or the other.
            Statistics.label("request line over the limit").collect(line > MAX_INITIAL_LINE_LENGTH);
            if (line > MAX_INITIAL_LINE_LENGTH) {
                assertThat(answers).extracting(RawHttpResponse::status).containsExactly(400);
                assertThat(ch.isActive()).isFalse();
            }
            assertCleanAfter(ch);
            return;
        }
        List<Message> decoded = request.decodeWith(oracle);
        assertThat(answers).as("one answer").hasSize(1);
        RawHttpResponse answer = answers.get(0);
        Statistics.label("status").collect(answer.status());
        if (decoded == null) {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).isEqualTo("Bad request");
        } else {
            assertThat(answer.status()).isEqualTo(200);
            JsonNode replies = request.repliesOf(answer);
            assertThat(replies.isArray()).isTrue();
            assertThat(replies.size()).isGreaterThanOrEqualTo(decoded.size());
            long successfulReplies = 0;
            for (JsonNode reply : replies) {
                assertThat(reply.isObject()).isTrue();
                if (reply.has("successful")) {
                    successfulReplies++;
                }
            }
            assertThat(successfulReplies).as("one reply per message").isEqualTo(decoded.size());
        }
        assertThat(ch.isActive()).as("keep-alive connection stays open").isTrue();
        send(ch, postJson("{\"channel\":\"/fuzz/after\",\"data\":1}"));
        List<RawHttpResponse> next = RawHttpResponse.read(written(ch)).responses();
        assertThat(next).extracting(RawHttpResponse::status).containsExactly(200);
        assertCleanAfter(ch);
    }

    // ---- shared checks ----

    private void assertCleanAfter(EmbeddedChannel ch) {
        tries.assertClean(ch);
        assertBrokerStillServes();
    }

    /** Handshake, subscribe, publish and a connect that carries the publication, on a fresh connection. */
    private void assertBrokerStillServes() {
        EmbeddedChannel ch = open();
        String n = Integer.toString(++round);
        send(ch, postJson("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}"));
        String id = json(ch).get(0).get("clientId").asText();
        send(ch, postJson("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/after/" + n + "\"}"));
        assertThat(json(ch).get(0).get("successful").asBoolean()).isTrue();
        send(ch, postJson("{\"channel\":\"/after/" + n + "\",\"data\":" + n + "}"));
        assertThat(json(ch).get(0).get("successful").asBoolean()).isTrue();
        send(ch, postJson("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                + "\",\"connectionType\":\"long-polling\",\"advice\":{\"timeout\":0}}"));
        JsonNode connect = json(ch);
        assertThat(connect.get(1).get("data").asText()).isEqualTo(n);
        send(ch, postJson("{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}"));
        written(ch);
    }

    private static JsonNode json(EmbeddedChannel ch) {
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch)).responses();
        assertThat(rs).extracting(RawHttpResponse::status).containsExactly(200);
        try {
            return JSON.readTree(rs.get(0).body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> prefix = Arbitraries.of("POST / HTTP/1.1\r\n", "GET /?message=", "GET / HTTP/1.1\r\nUpgrade: websocket\r\n",
                "POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n", "OPTIONS * HTTP/1.1\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").map(HostileInputs::bytes);
        return Arbitraries.frequencyOf(
                Tuple.of(2, HostileInputs.randomBytes(2048)),
                Tuple.of(2, Combinators.combine(prefix, HostileInputs.randomBytes(512)).as(HostileInputs::concat)),
                Tuple.of(1, HostileInputs.mutated(Arbitraries.just(postJson("[{\"channel\":\"/fuzz/a\",\"data\":{}}]")))));
    }

    @Provide
    Arbitrary<PollingRequest> pollingRequests() {
        return Combinators.combine(Arbitraries.of(PollingRequest.Kind.values()), HostileInputs.bodies(clientIds))
                .as(PollingRequest::new);
    }

    @Provide
    Arbitrary<List<HttpishRequest>> requests() {
        return httpishRequest().list().ofMinSize(1).ofMaxSize(3);
    }

    private Arbitrary<HttpishRequest> httpishRequest() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("GET", "POST")),
                Tuple.of(2, Arbitraries.of("PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT", "PRI")),
                Tuple.of(1, Arbitraries.of("post", "G\u00e9T", "", "GET GET", "X-" + "A".repeat(100))),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)));
        Arbitrary<String> target = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("/", "/bayeux", "/x/y?z=1", "/?jsonp=cb", "/?message=%5B%5D&jsonp=cb", "/client.js", "/x.js.map")),
                Tuple.of(2, HostileInputs.bodies(clientIds).map(b -> "/?message=" + pct(b) + "&jsonp=cb")),
                Tuple.of(2, Arbitraries.of("*", "http://localhost/", "//", "/..", "/%", "/%zz", "/?message=%zz", "/?message=%E0%A4",
                        "/?message=[]&jsonp=alert(1)", "/?message=[]&message={}", "/\u00e9", "/ x", "x", "",
                        "/?" + "a=1&".repeat(1100), "/" + "a".repeat(5000))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20).map(s -> "/" + s)));
        Arbitrary<String> version = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just("HTTP/1.1")),
                Tuple.of(2, Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "http/1.1", "HTTP/1.1 x", "", "HTTP/1.1\u0000")));
        Arbitrary<List<String>> headers = header().list().ofMaxSize(6);
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(3, HostileInputs.bodies(clientIds)),
                Tuple.of(2, HostileInputs.bodies(clientIds).map(b -> bytes("message=" + pct(b)))),
                Tuple.of(1, HostileInputs.randomBytes(300)),
                Tuple.of(1, Arbitraries.just(new byte[0])));
        Arbitrary<Framing> framing = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Framing.CONTENT_LENGTH)),
                Tuple.of(2, Arbitraries.just(Framing.CHUNKED)),
                Tuple.of(1, Arbitraries.just(Framing.NONE)),
                Tuple.of(1, Arbitraries.of(Framing.values())));
        return Combinators.combine(method, target, version, headers, body, framing, Arbitraries.integers().between(1, 64))
                .as(HttpishRequest::new);
    }

    private static Arbitrary<String> header() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("Content-Type: application/json", "Content-Type: application/json; charset=utf-8",
                        "Content-Type: APPLICATION/JSON", "Content-Type: application/x-www-form-urlencoded", "Content-Type: text/plain",
                        "Content-Type: multipart/form-data; boundary=x", "Content-Type: ", "Content-Type: ;;;",
                        "Content-Type: application/json; charset=utf-16")),
                Tuple.of(2, Arbitraries.of("Origin: http://app.example", "Origin: null", "Origin: ", "Referer: http://x/",
                        "Access-Control-Request-Method: POST", "Access-Control-Request-Method: GET", "Cookie: a=b",
                        "Authorization: Bearer x", "Host: ", "Host: a:b:c")),
                Tuple.of(2, Arbitraries.of("Connection: close", "Connection: keep-alive", "Connection: Upgrade",
                        "Connection: upgrade, close", "Upgrade: websocket", "Upgrade: h2c", "Upgrade: WebSocket",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: ", "Sec-WebSocket-Version: 13",
                        "Sec-WebSocket-Version: 8", "Sec-WebSocket-Version: 99", "Sec-WebSocket-Version: x",
                        "Sec-WebSocket-Extensions: permessage-deflate", "Sec-WebSocket-Protocol: bayeux")),
                Tuple.of(2, Arbitraries.of(13, 8, 99).flatMap(v -> Arbitraries.of(
                        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + v,
                        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: " + v,
                        "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + v))),
                Tuple.of(1, Arbitraries.of("Expect: 100-continue", "Expect: 200-ok", "Expect: ")),
                Tuple.of(1, Arbitraries.of(" folded continuation", "NoColon", ": empty-name", "Bad Name: x", "X-Nul: a\u0000b",
                        "X-Long: " + "v".repeat(9000), "X-Latin: caf\u00e9", "X-Tab:\tx")),
                Tuple.of(2, Combinators.combine(Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(12),
                        Arbitraries.strings().ascii().ofMaxLength(20)).as((n, v) -> "X-" + n + ": " + v)));
    }

    /** Every byte as {@code %XX} except ASCII letters and digits, so that {@code +}, {@code &} and {@code =} in a body survive. */
    static String pct(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (byte x : b) {
            int c = x & 0xFF;
            if (c < 0x80 && Character.isLetterOrDigit(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    enum Framing {
        /** A correct {@code Content-Length}. */
        CONTENT_LENGTH(true),
        /** Correct chunked encoding in chunks of a random size. */
        CHUNKED(true),
        /** No length header and no body. */
        NONE(true),
        /** A length shorter than the body: the rest is read as the next request. */
        SHORT_LENGTH(false),
        /** A length longer than the body: the request never completes. */
        LONG_LENGTH(false),
        /** A length that is not a number, or two different ones. */
        BAD_LENGTH(true),
        /** Chunk sizes that are not hex, or a missing final chunk. */
        BAD_CHUNKS(false),
        /** Both a length and chunked encoding, as in request smuggling. */
        LENGTH_AND_CHUNKED(false);

        /** Whether the request ends where the client meant it to, so an answer (or a close) is due. */
        final boolean complete;

        Framing(boolean complete) {
            this.complete = complete;
        }
    }

    /** A request assembled from a method, target, version, headers and a body, framed as {@code framing} says. */
    record HttpishRequest(String method, String target, String version, List<String> headers, byte[] body, Framing framing,
                          int chunkSize) {
        boolean expect() {
            return headers.stream().anyMatch(h -> h.regionMatches(true, 0, "Expect:", 0, 7));
        }

        boolean upgrade() {
            return headers.stream().anyMatch(h -> h.regionMatches(true, 0, "Upgrade:", 0, 8));
        }

        byte[] raw() {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            byte[] payload = body;
            switch (framing) {
                case CONTENT_LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
                case CHUNKED -> {
                    head.append("Transfer-Encoding: chunked\r\n");
                    payload = chunked(body, chunkSize, true);
                }
                case NONE -> payload = new byte[0];
                case SHORT_LENGTH -> head.append("Content-Length: ").append(body.length / 2).append("\r\n");
                case LONG_LENGTH -> head.append("Content-Length: ").append(body.length + chunkSize).append("\r\n");
                case BAD_LENGTH -> head.append(chunkSize % 2 == 0 ? "Content-Length: x" + body.length + "\r\n"
                        : "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 1) + "\r\n");
                case BAD_CHUNKS -> {
                    head.append("Transfer-Encoding: chunked\r\n");
                    payload = chunkSize % 2 == 0 ? chunked(body, chunkSize, false)
                            : concat(bytes("zz\r\n"), body, bytes("\r\n0\r\n\r\n"));
                }
                default -> {
                    head.append("Content-Length: ").append(body.length).append("\r\nTransfer-Encoding: chunked\r\n");
                    payload = chunked(body, chunkSize, true);
                }
            }
            return concat(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8), payload);
        }

        private static byte[] chunked(byte[] body, int size, boolean terminated) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int at = 0; at < body.length; at += size) {
                int n = Math.min(size, body.length - at);
                out.writeBytes(bytes(Integer.toHexString(n) + "\r\n"));
                out.write(body, at, n);
                out.writeBytes(bytes("\r\n"));
            }
            if (terminated) {
                out.writeBytes(bytes("0\r\n\r\n"));
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return method + " " + (target.length() > 60 ? target.substring(0, 60) + "..." : target) + " " + version + " "
                    + headers.stream().map(h -> h.length() > 60 ? h.substring(0, 60) + "..." : h).toList()
                    + " " + framing + " body=" + body.length + "B";
        }
    }

    /** A Bayeux body sent the way one of the polling transports sends it. */
    record PollingRequest(Kind kind, byte[] body) {
        enum Kind { LONG_POLLING, CROSS_ORIGIN_FORM, JSONP }

        /** The length of the request line without its CRLF. */
        int requestLineLength() {
            byte[] raw = raw();
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\r') {
                    return i;
                }
            }
            return raw.length;
        }

        byte[] raw() {
            return switch (kind) {
                case LONG_POLLING -> postJson(body);
                case CROSS_ORIGIN_FORM -> EmbeddedBroker.post("/", "application/x-www-form-urlencoded", bytes("message=" + pct(body)),
                        "Origin: http://app.example");
                case JSONP -> bytes("GET /?message=" + pct(body) + "&jsonp=cb_1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            };
        }

        /**
         * What the decoder makes of the body as this transport hands it over, or {@code null} if it
         * rejects it. The form and query transports percent-decode to a {@code String} first, where
         * bytes that are not UTF-8 become U+FFFD.
         */
        List<Message> decodeWith(BayeuxDecoder decoder) {
            try {
                return kind == Kind.LONG_POLLING ? decoder.decode(body, 0, body.length)
                        : decoder.decode(new String(body, StandardCharsets.UTF_8));
            } catch (BayeuxDecodeException e) {
                return null;
            }
        }

        JsonNode repliesOf(RawHttpResponse answer) {
            String text = answer.text();
            if (kind == Kind.JSONP) {
                assertThat(answer.headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
                assertThat(text).startsWith("/**/cb_1(").endsWith(");");
                text = text.substring("/**/cb_1(".length(), text.length() - 2);
            } else {
                assertThat(answer.headers()).containsEntry("content-type", "application/json; charset=utf-8");
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("200 with a body that is not JSON: " + text, e);
            }
        }

        @Override
        public String toString() {
            String s = new String(body, StandardCharsets.ISO_8859_1);
            return kind + " " + (s.length() > 300 ? s.substring(0, 300) + "...(" + body.length + "B)" : s);
        }
    }
}
