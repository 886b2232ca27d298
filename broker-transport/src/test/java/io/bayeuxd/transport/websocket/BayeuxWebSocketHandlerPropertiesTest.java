package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.transport.HostileInputs;
import io.bayeuxd.transport.HostileProperties;
import io.bayeuxd.transport.HostileTries;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile frames against {@link BayeuxWebSocketHandler} on an {@link EmbeddedChannel}, set up as in
 * {@code BayeuxWebSocketHandlerTest} but behind the frame aggregator, as after a real upgrade. The frames
 * keep the fragmentation rules the wire decoder enforces (a fragmented message is text or binary,
 * then continuations, with control frames between); breaking them is the job of
 * {@code WebSocketPipelinePropertiesTest}, which goes through the real decoder, and so does the property
 * that text the Bayeux decoder accepts gets one reply per message and the rest is ignored. For every
 * sequence:
 * <ul>
 *   <li>no exception escapes or is swallowed; nothing reaches the end of the pipeline; no buffer leaks;</li>
 *   <li>the handler writes only text frames holding a JSON array of objects, pongs that echo their ping,
 *       and close frames (1003 for binary, or the client's own close echoed), after which the socket is
 *       closed; it closes only with a close frame of its own or after the client's;</li>
 *   <li>afterwards, fresh sockets on the same broker still subscribe, connect and receive.</li>
 * </ul>
 */
class BayeuxWebSocketHandlerPropertiesTest extends HostileProperties {
    private static final long TIMEOUT_MS = 1_000;
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final MemoryEngine engine = new MemoryEngine(1024);
    private final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(TIMEOUT_MS).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final List<String> clientIds = sessions(3);
    private int round;

    @Override
    protected void closeBroker() {
        engine.close();
    }

    private EmbeddedChannel socket() {
        BayeuxWebSocketHandler handler = new BayeuxWebSocketHandler(broker, decoder, new FrameWriter(new BayeuxEncoder(), 100));
        handler.upgraded(new WebSocketServerHandshaker13("ws://localhost/", null, WebSocketDecoderConfig.newBuilder().build()),
                new HttpRequestContext("websocket", null, new DefaultHttpHeaders()), null);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        ch.pipeline().addLast("ws-bayeux", handler);
        return tries.track(ch);
    }

    private List<String> sessions(int n) {
        HttpRequestContext context = new HttpRequestContext("websocket", null, new DefaultHttpHeaders());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BatchResult r = broker.process(List.of(new Message().channel("/meta/handshake").version("1.0")
                    .supportedConnectionTypes(List.of("websocket"))), context);
            ids.add(r.replies().get(0).clientId());
            broker.process(List.of(new Message().channel("/meta/subscribe").clientId(ids.get(i)).subscription(List.of("/fuzz/**"), false)), context);
        }
        return ids;
    }

    // ---- properties ----

    @Property(tries = 300)
    void framesAreAnsweredIgnoredOrClosedWithACloseFrame(@ForAll("messages") @Size(min = 1, max = 8) List<ClientMessage> messages) {
        EmbeddedChannel ch = socket();
        boolean clientClosed = false;
        for (ClientMessage m : messages) {
            Statistics.label("message").collect(m.kind());
            clientClosed |= m.kind() == Kind.CLOSE;
            List<Object> out = m.sendTo(ch);
            boolean closeWritten = false;
            for (Object o : out) {
                try {
                    if (o instanceof TextWebSocketFrame text) {
                        assertThat(closeWritten).as("text after close").isFalse();
                        HostileTries.jsonArrayOfObjects(text.text());
                    } else if (o instanceof PongWebSocketFrame pong) {
                        assertThat(m.kind()).isIn(Kind.PING, Kind.TEXT);
                        assertThat(ByteBufUtil.getBytes(pong.content())).isEqualTo(m.pingPayload());
                    } else if (o instanceof CloseWebSocketFrame close) {
                        closeWritten = true;
                        Statistics.label("close").collect(close.statusCode());
                        if (m.kind() == Kind.BINARY) {
                            assertThat(close.statusCode()).isEqualTo(1003);
                        } else {
                            assertThat(m.kind()).isEqualTo(Kind.CLOSE);
                            assertThat(close.statusCode()).isEqualTo(m.closeCode());
                        }
                    } else {
                        throw new AssertionError("unexpected outbound " + o);
                    }
                } finally {
                    ReferenceCountUtil.release(o);
                }
            }
            if (closeWritten) {
                assertThat(ch.isActive()).as("closed after its close frame").isFalse();
            }
            if (!ch.isActive()) {
                assertThat(closeWritten || clientClosed).as("closed with a close frame").isTrue();
                break;
            }
        }
        Statistics.label("outcome").collect(ch.isActive() ? "open" : "closed");
        assertCleanAfter(ch);
    }

    // ---- shared checks ----

    private static void settle(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ch.advanceTimeBy(TIMEOUT_MS + 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        ch.checkException();
    }


    private void assertCleanAfter(EmbeddedChannel ch) {
        tries.assertClean(ch);
        assertStillServes();
    }

    /** A fresh subscriber socket receives what a fresh publisher socket publishes. */
    private void assertStillServes() {
        String n = Integer.toString(++round);
        EmbeddedChannel sub = socket();
        String id = send(sub, "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]")
                .get(0).get("clientId").asText();
        send(sub, "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/after/" + n + "\"},"
                + "{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\",\"advice\":{\"timeout\":0}}]");
        assertThat(send(sub, "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]")).isEmpty();
        EmbeddedChannel pub = socket();
        assertThat(send(pub, "[{\"channel\":\"/after/" + n + "\",\"data\":" + n + "}]").get(0).get("successful").asBoolean()).isTrue();
        sub.runPendingTasks();
        List<JsonNode> pushed = read(sub);
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0).get("data").asText()).isEqualTo(n);
        send(sub, "[{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}]");
    }

    private static List<JsonNode> send(EmbeddedChannel ch, String json) {
        ch.writeInbound(new TextWebSocketFrame(json));
        ch.runPendingTasks();
        return read(ch);
    }

    private static List<JsonNode> read(EmbeddedChannel ch) {
        List<JsonNode> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            try {
                out.addAll(HostileTries.jsonArrayOfObjects(((TextWebSocketFrame) o).text()));
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out;
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<ClientMessage>> messages() {
        Arbitrary<byte[]> body = HostileInputs.bodies(clientIds);
        Arbitrary<byte[]> small = HostileInputs.randomBytes(125);
        Arbitrary<Integer> fragments = Arbitraries.integers().between(1, 4);
        Arbitrary<ClientMessage> text = Combinators.combine(body, fragments, small, Arbitraries.of(true, false))
                .as((b, n, ping, pingBetween) -> new ClientMessage(Kind.TEXT, b, n, pingBetween ? ping : null, 0, null));
        Arbitrary<ClientMessage> binary = Combinators.combine(body, fragments)
                .as((b, n) -> new ClientMessage(Kind.BINARY, b, n, null, 0, null));
        Arbitrary<ClientMessage> ping = small.map(p -> new ClientMessage(Kind.PING, new byte[0], 1, p, 0, null));
        Arbitrary<ClientMessage> pong = small.map(p -> new ClientMessage(Kind.PONG, p, 1, null, 0, null));
        Arbitrary<ClientMessage> close = Combinators.combine(Arbitraries.of(1000, 1001, 1002, 1003, 1007, 1008, 1011, 3000, 4999),
                        Arbitraries.strings().ofMaxLength(30))
                .as((code, reason) -> new ClientMessage(Kind.CLOSE, new byte[0], 1, null, code, reason));
        return Arbitraries.frequencyOf(
                Tuple.of(10, text),
                Tuple.of(1, binary),
                Tuple.of(2, ping),
                Tuple.of(1, pong),
                Tuple.of(1, close)).list();
    }

    enum Kind { TEXT, BINARY, PING, PONG, CLOSE }

    /**
     * One message as the client sends it: a text or binary message in {@code fragments} frames with an
     * optional ping after the first, or a control frame.
     */
    record ClientMessage(Kind kind, byte[] payload, int fragments, byte[] pingPayload, int closeCode, String reason) {
        /** Writes the frames, stopping if the socket closes, and returns everything the handler wrote back. */
        List<Object> sendTo(EmbeddedChannel ch) {
            switch (kind) {
                case PING -> write(ch, new PingWebSocketFrame(Unpooled.wrappedBuffer(pingPayload)));
                case PONG -> write(ch, new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)));
                case CLOSE -> write(ch, new CloseWebSocketFrame(closeCode, reason));
                default -> {
                    int step = Math.max(1, payload.length / fragments);
                    int at = 0;
                    for (int i = 0; i < fragments && ch.isActive(); i++) {
                        boolean last = i == fragments - 1;
                        int end = last ? payload.length : Math.min(payload.length, at + step);
                        var content = Unpooled.wrappedBuffer(Arrays.copyOfRange(payload, at, end));
                        WebSocketFrame frame = i > 0 ? new ContinuationWebSocketFrame(last, 0, content)
                                : kind == Kind.TEXT ? new TextWebSocketFrame(last, 0, content) : new BinaryWebSocketFrame(last, 0, content);
                        write(ch, frame);
                        if (i == 0 && !last && pingPayload != null && ch.isActive()) {
                            write(ch, new PingWebSocketFrame(Unpooled.wrappedBuffer(pingPayload)));
                        }
                        at = end;
                    }
                }
            }
            settle(ch);
            List<Object> out = new ArrayList<>();
            Object o;
            while ((o = ch.readOutbound()) != null) {
                out.add(o);
            }
            return out;
        }

        private static void write(EmbeddedChannel ch, WebSocketFrame frame) {
            ch.writeInbound(frame);
            ch.runPendingTasks();
        }

        @Override
        public String toString() {
            return kind + "(" + payload.length + "B in " + fragments + (pingPayload != null ? ", ping" : "")
                    + (kind == Kind.CLOSE ? ", " + closeCode : "") + ") " + new String(payload, 0, Math.min(120, payload.length),
                    StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7E]", ".");
        }
    }
}
