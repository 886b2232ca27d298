package io.bayeuxd.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.protocol.BayeuxDecodeException;
import io.bayeuxd.transport.WebSocketWire.ServerFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.bayeuxd.transport.EmbeddedBroker.send;
import static io.bayeuxd.transport.EmbeddedBroker.settle;
import static io.bayeuxd.transport.Outbound.written;
import static io.bayeuxd.transport.WebSocketWire.BINARY;
import static io.bayeuxd.transport.WebSocketWire.CLOSE;
import static io.bayeuxd.transport.WebSocketWire.CONTINUATION;
import static io.bayeuxd.transport.WebSocketWire.PING;
import static io.bayeuxd.transport.WebSocketWire.PONG;
import static io.bayeuxd.transport.WebSocketWire.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input on an upgraded connection of the production pipeline ({@link EmbeddedBroker}), as bytes
 * on the wire: frames with hostile Bayeux bodies, every opcode, reserved bits, unmasked frames,
 * fragmented and oversized control frames, bad close codes, random bytes. For every input:
 * <ul>
 *   <li>no exception escapes, and none is swallowed except the aggregator's notice of a close in the
 *       middle of a fragmented message;</li>
 *   <li>every byte written back is a valid server frame (RFC 6455: unmasked, no reserved bits, control
 *       frames final and short, close codes that may be sent), every text frame a JSON array of objects;</li>
 *   <li>the socket either answers, ignores, or closes; it closes only after sending a close frame, or
 *       after the client sent one; after a close frame no other close frame is written (text frames still
 *       are: a known bug, see {@code HostileInputAnswersTest});</li>
 *   <li>every text frame the decoder accepts is answered with one reply per message, every other one is
 *       ignored and the socket stays open;</li>
 *   <li>nothing reaches the end of the pipeline, no buffer leaks, and a fresh WebSocket client still
 *       handshakes, subscribes, connects and receives.</li>
 * </ul>
 */
class WebSocketPipelinePropertiesTest extends HostilePipelineProperties {
    /** The codes the broker sends: echoes of the client's close, 1002 protocol error, 1003 binary, 1009 too big. */
    private static final Set<Integer> CLOSE_CODES = Set.of(1002, 1003, 1007, 1009);

    private int round;

    /** A connection upgraded to WebSocket, its {@code 101} read and checked. */
    private EmbeddedChannel upgraded() {
        EmbeddedChannel ch = tries.track(server.open());
        send(ch, WebSocketWire.upgradeRequest("/bayeux"));
        RawHttpResponse.Wire wire = RawHttpResponse.read(written(ch));
        assertThat(wire.responses()).extracting(RawHttpResponse::status).containsExactly(101);
        assertThat(wire.afterUpgrade()).isEmpty();
        return ch;
    }

    // ---- properties ----

    @Property(tries = 250)
    void anyFramesAreAnsweredIgnoredOrClosedWithACloseFrame(@ForAll("segments") @Size(min = 1, max = 6) List<Segment> segments,
                                                            @ForAll @IntRange(min = 1, max = 700) int chunk) {
        EmbeddedChannel ch = upgraded();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        boolean clientClosed = false;
        Set<Integer> echoable = new HashSet<>();
        for (Segment s : segments) {
            all.writeBytes(s.bytes());
            clientClosed |= s.sendsClose();
            if (s.closeCode() > 4999) {
                // Echoed as sent: a known bug, see HostileInputAnswersTest.
                echoable.add(s.closeCode());
            }
            Statistics.label("segment").collect(s.kind());
        }
        send(ch, all.toByteArray(), chunk);
        settle(ch);
        List<ServerFrame> frames = WebSocketWire.read(written(ch), echoable);
        int closeAt = -1;
        for (int i = 0; i < frames.size(); i++) {
            ServerFrame f = frames.get(i);
            if (closeAt >= 0) {
                // Known bug (see HostileInputAnswersTest): replies and queued messages can still be written
                // after the close frame, until the channel is really closed. A second close may not.
                Statistics.label("frames after the close frame").collect(f.opcode() == TEXT ? "text" : "pong");
                assertThat(f.opcode()).as("only a text or pong after the close frame").isIn(TEXT, PONG);
            }
            if (f.opcode() == TEXT) {
                HostileTries.jsonArrayOfObjects(f.text());
            } else if (f.opcode() == CLOSE) {
                closeAt = i;
                Statistics.label("close").collect(f.closeCode());
                if (!clientClosed) {
                    assertThat(f.closeCode()).isIn(CLOSE_CODES);
                }
            } else {
                assertThat(f.opcode()).as("text, pong or close only").isEqualTo(PONG);
            }
        }
        if (closeAt >= 0) {
            assertThat(ch.isActive()).as("closed after its close frame").isFalse();
        }
        if (!ch.isActive()) {
            assertThat(closeAt >= 0 || clientClosed).as("closed with a close frame, or by the client's").isTrue();
        }
        Statistics.label("outcome").collect(ch.isActive() ? "open" : "closed");
        assertCleanAfter(ch);
    }

    @Property(tries = 250)
    void acceptedTextIsAnsweredOncePerMessageAndTheRestIgnored(@ForAll("bodies") @Size(min = 1, max = 4) List<byte[]> bodies) {
        EmbeddedChannel ch = upgraded();
        for (byte[] body : bodies) {
            send(ch, WebSocketWire.text(body));
            settle(ch);
            List<ServerFrame> frames = WebSocketWire.read(written(ch));
            Integer expected = repliesExpected(body);
            Statistics.label("decoded").collect(expected == null ? "rejected" : "accepted");
            if (expected == null && !isUtf8(body)) {
                // Text that is not UTF-8 fails the connection (RFC 6455 8.1).
                assertThat(frames).extracting(ServerFrame::closeCode).containsExactly(1007);
                assertThat(ch.isActive()).isFalse();
                break;
            } else if (expected == null) {
                assertThat(frames).as("ignored").isEmpty();
            } else {
                int replies = 0;
                for (ServerFrame f : frames) {
                    assertThat(f.opcode()).isEqualTo(TEXT);
                    for (JsonNode m : HostileTries.jsonArrayOfObjects(f.text())) {
                        replies += m.has("successful") ? 1 : 0;
                    }
                }
                if (expected == 0) {
                    assertThat(frames).as("[] is echoed").hasSize(1);
                }
                assertThat(replies).as("one reply per message").isEqualTo(expected);
            }
            assertThat(ch.isActive()).isTrue();
        }
        assertCleanAfter(ch);
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private Integer repliesExpected(byte[] body) {
        try {
            return oracle.decode(body, 0, body.length).size();
        } catch (BayeuxDecodeException e) {
            return null;
        }
    }

    // ---- shared checks ----


    private void assertCleanAfter(EmbeddedChannel ch) {
        tries.assertClean(ch);
        assertWebSocketStillServes();
    }

    /** Two fresh WebSocket clients: one subscribes and connects, the other publishes, the first receives. */
    private void assertWebSocketStillServes() {
        String n = Integer.toString(++round);
        EmbeddedChannel sub = upgraded();
        String id = handshake(sub);
        send(sub, WebSocketWire.text("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/after/" + n + "\"}]"));
        assertThat(WebSocketWire.read(written(sub))).hasSize(1);
        send(sub, WebSocketWire.text("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]"));
        EmbeddedChannel pub = upgraded();
        send(pub, WebSocketWire.text("[{\"channel\":\"/after/" + n + "\",\"data\":" + n + "}]"));
        assertThat(WebSocketWire.read(written(pub))).hasSize(1);
        sub.runPendingTasks();
        List<ServerFrame> pushed = WebSocketWire.read(written(sub));
        assertThat(pushed).hasSize(1);
        assertThat(HostileTries.jsonArrayOfObjects(pushed.get(0).text()).get(0).get("data").asText()).isEqualTo(n);
        send(sub, WebSocketWire.text("[{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}]"));
        written(sub);
    }

    private static String handshake(EmbeddedChannel ch) {
        send(ch, WebSocketWire.text("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]"));
        List<ServerFrame> frames = WebSocketWire.read(written(ch));
        assertThat(frames).hasSize(1);
        return HostileTries.jsonArrayOfObjects(frames.get(0).text()).get(0).get("clientId").asText();
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<byte[]>> bodies() {
        return HostileInputs.bodies(clientIds).list();
    }

    @Provide
    Arbitrary<List<Segment>> segments() {
        Arbitrary<byte[]> body = HostileInputs.bodies(clientIds);
        Arbitrary<byte[]> small = HostileInputs.randomBytes(125);
        Arbitrary<Segment> text = body.map(b -> new Segment("text", WebSocketWire.text(b), false));
        Arbitrary<Segment> fragmented = Combinators.combine(body, Arbitraries.integers().between(1, 4), small)
                .as((b, parts, ping) -> new Segment("fragmented text", fragments(b, parts, ping), false));
        Arbitrary<Segment> control = Combinators.combine(Arbitraries.of(PING, PONG), small)
                .as((op, p) -> new Segment(op == PING ? "ping" : "pong", WebSocketWire.frame(true, 0, op, p, true), false));
        // Codes above 4999 are left out: the broker echoes them (a known bug, see HostileInputAnswersTest).
        Arbitrary<Segment> close = Combinators.combine(Arbitraries.of(1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4999,
                        0, 999, 1004, 1005, 1006, 1015, 2999), Arbitraries.strings().ofMaxLength(20))
                .as((code, reason) -> new Segment("close " + code,
                        WebSocketWire.frame(true, 0, CLOSE, WebSocketWire.closePayload(code, reason), true), true));
        Arbitrary<Segment> emptyClose = Arbitraries.just(new Segment("close empty", WebSocketWire.frame(true, 0, CLOSE, new byte[0], true), true));
        Arbitrary<Segment> binary = body.map(b -> new Segment("binary", WebSocketWire.frame(true, 0, BINARY, b, true), false));
        Arbitrary<Segment> anyFrame = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 15), Arbitraries.oneOf(small, body, HostileInputs.randomBytes(300)),
                        Arbitraries.of(true, true, true, false))
                // No reserved bits on a close: the broker echoes them back (a known bug, see HostileInputAnswersTest).
                .as((fin, rsv, op, payload, masked) -> new Segment("any frame", WebSocketWire.frame(fin, op == CLOSE ? 0 : rsv, op, payload, masked),
                        op == CLOSE));
        Arbitrary<Segment> garbage = HostileInputs.randomBytes(64).map(b -> new Segment("random bytes", b, true));
        Arbitrary<Segment> oversize = Arbitraries.of(1024 * 1024 + 1, 2 * 1024 * 1024)
                .map(n -> new Segment("oversize", WebSocketWire.text(new byte[n]), false));
        return Arbitraries.frequencyOf(
                Tuple.of(8, text),
                Tuple.of(2, fragmented),
                Tuple.of(2, control),
                Tuple.of(1, close),
                Tuple.of(1, emptyClose),
                Tuple.of(1, binary),
                Tuple.of(3, anyFrame),
                Tuple.of(1, garbage),
                Tuple.of(1, oversize)).list();
    }

    /** {@code body} as a text frame and {@code parts - 1} continuations, with a ping between the first two. */
    private static byte[] fragments(byte[] body, int parts, byte[] ping) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int step = Math.max(1, body.length / parts);
        int at = 0;
        for (int i = 0; i < parts; i++) {
            boolean last = i == parts - 1;
            int end = last ? body.length : Math.min(body.length, at + step);
            byte[] piece = Arrays.copyOfRange(body, at, end);
            out.writeBytes(WebSocketWire.frame(last, 0, i == 0 ? TEXT : CONTINUATION, piece, true));
            if (i == 0 && !last) {
                out.writeBytes(WebSocketWire.frame(true, 0, PING, ping, true));
            }
            at = end;
        }
        return out.toByteArray();
    }

    /**
     * Bytes the client sends in one go. {@code sendsClose} is conservative: true also for frames
     * that might be read as a close (random bytes, random opcodes), after which a close without a
     * close frame of the server's own is allowed.
     */
    record Segment(String kind, byte[] bytes, boolean sendsClose) {
        /** The status code if this is one masked close frame with a code, else -1. */
        int closeCode() {
            if (bytes.length < 8 || (bytes[0] & 0xF) != CLOSE || (bytes[1] & 0xFF) < 0x82 || (bytes[1] & 0xFF) > 0xFD) {
                return -1;
            }
            return ((bytes[6] ^ bytes[2]) & 0xFF) << 8 | ((bytes[7] ^ bytes[3]) & 0xFF);
        }

        @Override
        public String toString() {
            String head = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1);
            return kind + " (" + bytes.length + "B) " + head.replaceAll("[^\\x20-\\x7E]", ".");
        }
    }
}
