package io.bayeuxd.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.transport.WebSocketWire.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.bayeuxd.transport.EmbeddedBroker.postJson;
import static io.bayeuxd.transport.EmbeddedBroker.send;
import static io.bayeuxd.transport.EmbeddedBroker.settle;
import static io.bayeuxd.transport.Outbound.written;
import static io.bayeuxd.transport.HostileInputs.batchOf;
import static io.bayeuxd.transport.HostileInputs.bytes;
import static io.bayeuxd.transport.HostileInputs.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answer to each kind of hostile input, over long-polling (a JSON {@code POST}) and over WebSocket (a
 * text frame on an upgraded connection), both on the production pipeline ({@link EmbeddedBroker}, default
 * transport settings: 1 MiB messages, connections silent for the connect timeout plus 30 s closed). One
 * test per input; the table in {@code docs/security.md} is these tests, row by row.
 *
 * <p>In short: transport garbage is {@code 400 Bad request} over HTTP and ignored over WebSocket (as Faye
 * does), with the connection kept; what parses is answered message by message with Bayeux errors; a
 * known field of the wrong JSON type counts as absent; sizes over the transport limit are {@code 413} or
 * a close with 1009.
 */
class HostileInputAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_A = "[{\"channel\":\"/a\",\"successful\":true}]";
    private static final String UPGRADE_HEAD = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    private final EmbeddedBroker server = new EmbeddedBroker();
    private final HostileTries tries = new HostileTries();
    private final SwallowedErrors swallowed = tries.swallowed();

    @AfterEach
    void close() {
        server.close();
        tries.close();
    }

    // ---- the decoder's limits ----

    @Test
    void nestingDeeperThan64LevelsIsRejected() {
        // The batch array is level 1, its message level 2, data level 3.
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":" + "[".repeat(62) + "]".repeat(62) + "}]"), OK_A);
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":" + "[".repeat(63) + "]".repeat(63) + "}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":1,\"unknown\":" + "[".repeat(100) + "]".repeat(100) + "}]"));
    }

    @Test
    void tenMegabyteNumberIsOverTheMessageLimit() {
        byte[] body = bytes("[{\"channel\":\"/a\",\"data\":1" + "0".repeat(10 * 1024 * 1024) + "}]");
        Poll poll = poll(body);
        assertThat(poll.status()).isEqualTo(413);
        assertThat(poll.body()).isEmpty();
        assertThat(poll.open()).as("the body is read and dropped; the connection stays").isTrue();

        Socket ws = ws(body);
        assertThat(ws.closeCode()).isEqualTo(1009);
        assertThat(ws.open()).isFalse();
    }

    @Test
    void numbersOfMoreThan1000DigitsAreRejectedWhereverTheyAre() {
        String digits1000 = "1" + "0".repeat(999);
        String digits1001 = "1" + "0".repeat(1000);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":" + digits1000 + "}]"), OK_A);
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":" + digits1001 + "}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":{\"n\":[" + digits1001 + "]}}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":1,\"id\":" + digits1001 + "}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":1,\"unknown\":" + digits1001 + "}]"));
        // Numbers Java cannot hold are fine where they are only copied: data and ext go out as sent.
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":[1e400,-1e400,123456789012345678901234567890]}]"), OK_A);
    }

    @Test
    void tenMegabyteNumberUnderARaisedLimitIsRejectedByTheDecoder() {
        try (EmbeddedBroker big = new EmbeddedBroker(TransportConfig.builder().maxMessageBytes(16 * 1024 * 1024).build())) {
            EmbeddedChannel ch = big.open();
            send(ch, postJson(bytes("[{\"channel\":\"/a\",\"data\":1" + "0".repeat(10 * 1024 * 1024) + "}]")));
            List<RawHttpResponse> rs = RawHttpResponse.read(written(ch)).responses();
            assertThat(rs).extracting(RawHttpResponse::status).containsExactly(400);
            assertThat(ch.isActive()).isTrue();
        }
    }

    @Test
    void stringsTheDecoderReadsAreLimitedTo65536Characters() {
        // The channel itself is capped far lower by the broker (--max-channel-length); error is a string
        // field the decoder reads and the broker echoes, so it shows the decoder's bound.
        String error65536 = "e".repeat(65_536);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"error\":\"" + error65536 + "\"}]"),
                "[{\"channel\":\"/a\",\"successful\":false,\"error\":\"" + error65536 + "\"}]");
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":1,\"error\":\"" + error65536 + "e\"}]"));
        assertRejected(bytes("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + "c".repeat(70_000) + "\",\"connectionType\":\"long-polling\"}]"));
        assertRejected(bytes("[{\"channel\":\"/a\",\"data\":1,\"" + "k".repeat(65_537) + "\":1}]"));
    }

    @Test
    void stringsInsideDataAndExtAreBoundedOnlyByTheMessageLimit() {
        String s = "x".repeat(900_000);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":{\"s\":\"" + s + "\"}}]"), OK_A);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"ext\":{\"s\":\"" + s + "\"}}]"), OK_A);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"unknown\":\"" + s + "\"}]"), OK_A);
    }

    @Test
    void aLongDataStringIsBoundedOnlyByTheMessageLimit() {
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":\"" + "x".repeat(131_071) + "\"}]"), OK_A);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":\"" + "x".repeat(131_072) + "\"}]"), OK_A);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":\"" + "x".repeat(900_000) + "\"}]"), OK_A);
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"id\":\"" + "x".repeat(200_000) + "\"}]"),
                "[{\"id\":\"" + "x".repeat(200_000) + "\",\"channel\":\"/a\",\"successful\":true}]");
    }

    @Test
    void aBatchOfMoreThan1000MessagesIsRejected() throws IOException {
        Poll poll = poll(batchOf(1000));
        assertThat(poll.status()).isEqualTo(200);
        assertThat(JSON.readTree(poll.body())).hasSize(1000);
        assertThat(ws(batchOf(1000)).messages()).hasSize(1000);
        assertRejected(batchOf(1001));
    }

    // ---- what the JSON says ----

    @Test
    void duplicateKeysTheLastOneWins() {
        assertReplies(bytes("[{\"channel\":\"/meta/handshake\",\"channel\":\"/dup\",\"data\":1}]"),
                "[{\"channel\":\"/dup\",\"successful\":true}]");
        // The last occurrence decides even when its type is wrong, which makes the field absent.
        assertReplies(bytes("[{\"channel\":\"/dup\",\"channel\":5,\"data\":1}]"),
                "[{\"successful\":false,\"error\":\"405::Invalid channel\"}]");
        assertReplies(bytes("[{\"channel\":\"/dup\",\"data\":1,\"data\":{\"x\":2},\"id\":\"a\",\"id\":\"b\"}]"),
                "[{\"id\":\"b\",\"channel\":\"/dup\",\"successful\":true}]");
    }

    @Test
    void invalidUtf8OrNulInTheBodyIsRejected() {
        // Over long-polling 400; a WebSocket text frame that is not UTF-8 fails the connection (1007).
        assertRejectedAndClosed1007(concat(bytes("[{\"channel\":\"/a\",\"data\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, bytes("\"}]")));
        assertRejectedAndClosed1007(concat(bytes("[{\"channel\":\"/a\",\"data\":\""), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, bytes("\"}]")));
        // NUL is valid UTF-8 but never valid JSON: rejected, and ignored over WebSocket.
        assertRejected(concat(bytes("[{\"channel\":\"/a\",\"data\":1}]"), new byte[] {0}));
        // An escaped lone surrogate is valid JSON; data is forwarded as sent.
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":\"\\ud800\"}]"), OK_A);
    }

    @Test
    void invalidUtf8InAFormOrQueryMessageBecomesReplacementCharacters() throws IOException {
        // The form and JSONP transports percent-decode to text first, where bad bytes become U+FFFD.
        EmbeddedChannel sub = subscribedSocket("/utf8");
        EmbeddedChannel ch = server.open();
        send(ch, EmbeddedBroker.post("/", "application/x-www-form-urlencoded",
                bytes("message=%5B%7B%22channel%22%3A%22%2Futf8%22%2C%22data%22%3A%22%C0%AF%22%7D%5D")));
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch)).responses();
        assertThat(rs).extracting(RawHttpResponse::status).containsExactly(200);
        assertThat(rs.get(0).text()).isEqualTo("[{\"channel\":\"/utf8\",\"successful\":true}]");
        assertThat(pushed(sub)).isEqualTo("[{\"channel\":\"/utf8\",\"data\":\"\uFFFD\uFFFD\"}]");
    }

    @Test
    void unknownFieldsAreIgnoredAndNotForwarded() {
        EmbeddedChannel sub = subscribedSocket("/u");
        assertReplies(bytes("[{\"channel\":\"/u\",\"data\":1,\"foo\":{\"deep\":[1]},\"bar\":null,\"__proto__\":{\"x\":1}}]"),
                "[{\"channel\":\"/u\",\"successful\":true}]");
        // Published twice (long-polling, WebSocket); both wait in the outbox and go out in one frame.
        assertThat(pushed(sub)).isEqualTo("[{\"channel\":\"/u\",\"data\":1},{\"channel\":\"/u\",\"data\":1}]");
    }

    // ---- known fields of the wrong JSON type count as absent ----

    @Test
    void wrongTypeForChannel() {
        for (String channel : List.of("5", "true", "null", "[\"/a\"]", "{\"a\":1}")) {
            assertReplies(bytes("[{\"channel\":" + channel + ",\"data\":1}]"), "[{\"successful\":false,\"error\":\"405::Invalid channel\"}]");
        }
        // No channel and no data: the last failing check decides, as in Faye.
        assertReplies(bytes("{}"), "[{\"successful\":false,\"error\":\"402:data:Missing required parameter\"}]");
    }

    @Test
    void wrongTypeForClientId() {
        assertReplies(bytes("[{\"channel\":\"/meta/subscribe\",\"clientId\":5,\"subscription\":\"/a\"}]"),
                "[{\"channel\":\"/meta/subscribe\",\"successful\":false,\"error\":\"402:clientId:Missing required parameter\",\"subscription\":\"/a\"}]");
        assertReplies(bytes("[{\"channel\":\"/meta/connect\",\"clientId\":{},\"connectionType\":\"long-polling\"}]"),
                "[{\"channel\":\"/meta/connect\",\"successful\":false,\"error\":\"402:clientId:Missing required parameter\","
                        + "\"advice\":{\"reconnect\":\"handshake\"}}]");
    }

    @Test
    void wrongTypeForId() {
        for (String id : List.of("{\"a\":1}", "[1]", "true", "null")) {
            assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"id\":" + id + "}]"), OK_A);
        }
        // A number is a valid id and is echoed as spelled.
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"id\":12.5e3}]"), "[{\"id\":12.5e3,\"channel\":\"/a\",\"successful\":true}]");
    }

    @Test
    void wrongTypeForSubscription() {
        String id = server.sessions(1).get(0);
        for (String subscription : List.of("5", "[\"/a\",5]", "{\"a\":1}", "null", "[[\"/a\"]]")) {
            assertReplies(bytes("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":" + subscription + "}]"),
                    "[{\"clientId\":\"" + id + "\",\"channel\":\"/meta/subscribe\",\"successful\":false,"
                            + "\"error\":\"402:subscription:Missing required parameter\",\"subscription\":[]}]");
        }
    }

    @Test
    void wrongTypeForAdviceLeavesTheConnectHeldForTheFullTimeout() {
        String id = server.sessions(1).get(0);
        String reply = "[{\"clientId\":\"" + id + "\",\"channel\":\"/meta/connect\",\"successful\":true,"
                + "\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":1000}}]";
        for (String advice : List.of("\"now\"", "[0]", "{\"timeout\":\"0\"}", "{\"timeout\":1" + "0".repeat(29) + "}", "{\"timeout\":1e400}")) {
            byte[] body = bytes("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\",\"advice\":" + advice + "}]");
            EmbeddedChannel ch = server.open();
            send(ch, postJson(body));
            assertThat(written(ch)).as("held: %s", advice).isEmpty();
            settle(ch);
            assertThat(RawHttpResponse.read(written(ch)).responses()).extracting(RawHttpResponse::text).containsExactly(reply);

            EmbeddedChannel ws = upgradedSocket();
            send(ws, WebSocketWire.text(body));
            assertThat(frames(ws)).as("held: %s", advice).isEmpty();
            settle(ws);
            assertThat(frames(ws)).extracting(ServerFrame::text).containsExactly(reply);
        }
        // A negative timeout is clamped to 0: answered at once.
        assertReplies(bytes("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\","
                + "\"advice\":{\"timeout\":-5}}]"), reply);
    }

    @Test
    void anyJsonTypeIsValidData() {
        EmbeddedChannel sub = subscribedSocket("/d");
        List<String> values = List.of("5", "\"s\"", "[1,\"x\"]", "null", "true", "{\"nested\":{\"a\":[]}}", "-0.0e-0");
        for (String data : values) {
            assertReplies(bytes("[{\"channel\":\"/d\",\"data\":" + data + "}]"), "[{\"channel\":\"/d\",\"successful\":true}]");
        }
        // Each value is published twice (long-polling, WebSocket) and goes out byte for byte.
        List<String> expected = new ArrayList<>();
        for (String data : values) {
            expected.add("{\"channel\":\"/d\",\"data\":" + data + "}");
            expected.add("{\"channel\":\"/d\",\"data\":" + data + "}");
        }
        assertThat(pushed(sub)).isEqualTo("[" + String.join(",", expected) + "]");
    }

    @Test
    void wrongTypeForExtDropsIt() {
        EmbeddedChannel sub = subscribedSocket("/e");
        for (String ext : List.of("5", "\"x\"", "[1]", "null")) {
            assertReplies(bytes("[{\"channel\":\"/e\",\"data\":1,\"ext\":" + ext + "}]"), "[{\"channel\":\"/e\",\"successful\":true}]");
        }
        assertThat(pushed(sub)).isEqualTo("[" + String.join(",", Collections.nCopies(8, "{\"channel\":\"/e\",\"data\":1}")) + "]");
    }

    @Test
    void aClientSentErrorIsAnsweredAsAFailureAndNotPublished() {
        // As in Faye: a message that arrives with an error is answered with it and not processed.
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"error\":\"boom\"}]"), "[{\"channel\":\"/a\",\"successful\":false,\"error\":\"boom\"}]");
        assertReplies(bytes("[{\"channel\":\"/a\",\"data\":1,\"error\":5}]"), OK_A);
    }

    // ---- transport-level answers ----

    @Test
    void transportAnswersOverWebSocket() {
        EmbeddedChannel ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, WebSocketWire.BINARY, bytes("[]"), true));
        assertThat(frames(ch)).extracting(ServerFrame::closeCode).containsExactly(1003);
        assertThat(ch.isActive()).isFalse();

        ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, WebSocketWire.TEXT, bytes("[]"), false));
        assertThat(frames(ch)).as("unmasked").extracting(ServerFrame::closeCode).containsExactly(1002);

        ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, WebSocketWire.PING, new byte[126], true));
        assertThat(frames(ch)).as("ping over 125 bytes").extracting(ServerFrame::closeCode).containsExactly(1002);

        ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, 3, bytes("[]"), true));
        assertThat(frames(ch)).as("reserved opcode").extracting(ServerFrame::closeCode).containsExactly(1002);

        ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, WebSocketWire.CONTINUATION, bytes("[]"), true));
        assertThat(frames(ch)).as("continuation without a start").extracting(ServerFrame::closeCode).containsExactly(1002);
    }

    @Test
    void aRequestThatStopsHalfwayIsClosedAfterTheIdleTimeout() {
        // Nothing in HTTP parsing ends a stalled request; the idle closer at the head of the pipeline does.
        EmbeddedChannel ch = server.open();
        send(ch, bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n[]"));
        ch.advanceTimeBy(EmbeddedBroker.IDLE_TIMEOUT_MS - 1_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).as("a second before the idle timeout").isTrue();
        ch.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isActive()).as("at the idle timeout").isFalse();
        assertThat(written(ch)).as("closed without an answer").isEmpty();
    }

    // ---- known bugs ----

    @Test
    void badPercentEncodingGets400() {
        for (String raw : List.of("GET /?message=%zz HTTP/1.1\r\nHost: x\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nmessage=%")) {
            EmbeddedChannel ch = server.open();
            send(ch, bytes(raw));
            assertThat(RawHttpResponse.read(written(ch)).responses()).as(raw).extracting(RawHttpResponse::status).containsExactly(400);
            assertThat(ch.isActive()).as(raw).isTrue();
        }
        assertThat(swallowed.drain()).isEmpty();
    }

    @Test
    void refusedUpgradeGets400() {
        String up = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n";
        for (String raw : List.of(up + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
                up + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                up + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")) {
            EmbeddedChannel ch = server.open();
            send(ch, bytes(raw));
            assertThat(RawHttpResponse.read(written(ch)).responses()).as(raw).extracting(RawHttpResponse::status).containsExactly(400);
        }
        assertThat(swallowed.drain()).isEmpty();
    }

    @Test
    void malformedUpgradeRequestIsNotUpgraded() {
        EmbeddedChannel ch = server.open();
        send(ch, bytes(UPGRADE_HEAD + "Sec-WebSocket-Version: 13\r\nNo colon here\r\n\r\n"));
        assertThat(RawHttpResponse.read(written(ch)).responses()).extracting(RawHttpResponse::status).containsExactly(400);
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void malformedUpgradeRequestDoesNotLeaveADeadConnection() {
        EmbeddedChannel ch = server.open();
        send(ch, bytes(UPGRADE_HEAD + "Sec-WebSocket-Version: 99\r\nNo colon here\r\n\r\n"));
        send(ch, postJson("[]"));
        assertThat(RawHttpResponse.read(written(ch)).responses()).extracting(RawHttpResponse::status).containsExactly(400);
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void invalidUtf8TextFrameClosesWith1007() {
        Socket ws = ws(concat(bytes("[{\"channel\":\"/a\",\"data\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, bytes("\"}]")));
        assertThat(describe(ws.frames())).containsExactly("close 1007");
        assertThat(ws.open()).isFalse();
    }

    @Test
    void reservedBitsWithoutAnExtensionCloseWith1002() {
        EmbeddedChannel ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 4, WebSocketWire.TEXT, bytes("[]"), true));
        assertThat(describe(frames(ch))).containsExactly("close 1002");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void closeFramesAreNotEchoedVerbatim() {
        EmbeddedChannel ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 0, WebSocketWire.CLOSE, WebSocketWire.closePayload(5000, ""), true));
        assertThat(describe(WebSocketWire.read(written(ch), Set.of(5000)))).containsExactly("close 1002");

        ch = upgradedSocket();
        send(ch, WebSocketWire.frame(true, 4, WebSocketWire.CLOSE, WebSocketWire.closePayload(1000, ""), true));
        assertThat(written(ch)[0] & 0x70).as("reserved bits of the answer").isZero();
    }

    @Test
    void anExpectContinueBehindARequestThatClosesIsDroppedQuietly() {
        // The codec goes on decoding the rest of a read after the first request closed the connection; the
        // aggregator's "100 Continue" for the second then fails on the closed channel. Nobody is left to answer.
        EmbeddedChannel ch = server.open();
        send(ch, concat(bytes("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"),
                bytes("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")));
        assertThat(RawHttpResponse.read(written(ch)).responses()).extracting(RawHttpResponse::status).containsExactly(200);
        assertThat(ch.isActive()).isFalse();
        assertThat(swallowed.unexpected()).isEmpty();
    }

    @Test
    void anUpgradeBehindAHeldConnectReleasesWhatWaitedBehindIt() {
        // A held long-poll, a publish pipelined behind it, then an upgrade on the same connection: the
        // upgrade removes the HTTP handler, which must hand back the waiting request and the held connect.
        String id = server.sessions(1).get(0);
        EmbeddedChannel ch = server.open();
        send(ch, concat(postJson("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}"),
                postJson("{\"channel\":\"/fuzz/x\",\"data\":1}"), WebSocketWire.upgradeRequest("/")));
        written(ch);
        ch.finishAndReleaseAll();
        assertThat(server.engine.session(id)).as("the session outlives the connection").isNotNull();
    }

    @Test
    void framesInTheSameReadAsTheUpgradeAreDecoded() {
        // A client may send its first frames without waiting for the 101; they arrive in the read that
        // carries the upgrade request.
        EmbeddedChannel ch = server.open();
        send(ch, concat(WebSocketWire.upgradeRequest("/"),
                WebSocketWire.text("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]"),
                WebSocketWire.text("[]")));
        RawHttpResponse.Wire wire = RawHttpResponse.read(written(ch));
        assertThat(wire.upgraded()).isTrue();
        List<String> frames = describe(WebSocketWire.read(wire.afterUpgrade()));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).startsWith("text [").contains("\"channel\":\"/meta/handshake\"", "\"successful\":true");
        assertThat(frames.get(1)).isEqualTo("text []");
        assertThat(ch.inboundMessages()).isEmpty();
        assertThat(ch.pipeline().names()).doesNotContain("ws-handover", "http-codec");
    }

    @Test
    void messagesForASocketThatIsClosingStayQueuedForTheNextConnection() {
        Subscriber sub = subscriber("/closing");
        HeldWrites slowSocket = new HeldWrites();
        sub.channel().pipeline().addFirst(slowSocket);
        try {
            // A binary frame is answered with a close frame, which the slow socket has not written yet.
            send(sub.channel(), WebSocketWire.frame(true, 0, WebSocketWire.BINARY, bytes("x"), true));
            assertThat(sub.channel().isActive()).isTrue();
            assertReplies(bytes("[{\"channel\":\"/closing\",\"data\":1}]"), "[{\"channel\":\"/closing\",\"successful\":true}]");
            sub.channel().runPendingTasks();
            assertThat(server.engine.session(sub.clientId()).queuedMessages()).as("kept for the next connection").isEqualTo(2);
        } finally {
            slowSocket.release();
        }
        assertThat(describe(frames(sub.channel()))).containsExactly("close 1003");
    }

    // ---- helpers ----

    /**
     * A socket whose writes have not gone out yet: holds every write, with its promise pending, until
     * {@link #release}. Put first in the pipeline, it stands for a kernel send buffer that is full.
     */
    private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
        private final List<Object> messages = new ArrayList<>();
        private final List<ChannelPromise> promises = new ArrayList<>();
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            messages.add(msg);
            promises.add(promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // Held: nothing is flushed until release().
        }

        void release() {
            for (int i = 0; i < messages.size(); i++) {
                ctx.write(messages.get(i), promises.get(i));
            }
            messages.clear();
            promises.clear();
            ctx.flush();
        }
    }

    /** The broker's one answer to a long-polling request. */
    record Poll(int status, String body, boolean open) {
    }

    /** The frames a socket sent back, and whether it is still open. */
    record Socket(List<ServerFrame> frames, boolean open) {
        List<JsonNode> messages() {
            List<JsonNode> out = new ArrayList<>();
            for (ServerFrame f : frames) {
                assertThat(f.opcode()).isEqualTo(WebSocketWire.TEXT);
                try {
                    JSON.readTree(f.text()).forEach(out::add);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return out;
        }

        int closeCode() {
            assertThat(frames).hasSize(1);
            assertThat(frames.get(0).opcode()).isEqualTo(WebSocketWire.CLOSE);
            return frames.get(0).closeCode();
        }
    }

    private Poll poll(byte[] body) {
        EmbeddedChannel ch = server.open();
        send(ch, postJson(body));
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch)).responses();
        assertThat(rs).hasSize(1);
        return new Poll(rs.get(0).status(), rs.get(0).text(), ch.isActive());
    }

    private EmbeddedChannel upgradedSocket() {
        EmbeddedChannel ch = server.open();
        send(ch, WebSocketWire.upgradeRequest("/"));
        assertThat(RawHttpResponse.read(written(ch)).responses()).extracting(RawHttpResponse::status).containsExactly(101);
        return ch;
    }

    /** Each frame as {@code "text <payload>"}, {@code "close <code>"}, {@code "pong"}: readable failures. */
    private static List<String> describe(List<ServerFrame> frames) {
        return frames.stream().map(f -> switch (f.opcode()) {
            case WebSocketWire.TEXT -> "text " + f.text();
            case WebSocketWire.CLOSE -> "close " + f.closeCode();
            default -> f.toString();
        }).toList();
    }

    private static List<ServerFrame> frames(EmbeddedChannel ch) {
        return WebSocketWire.read(written(ch));
    }

    /** A text frame with {@code payload} on a fresh socket. */
    private Socket ws(byte[] payload) {
        EmbeddedChannel ch = upgradedSocket();
        send(ch, WebSocketWire.text(payload));
        return new Socket(frames(ch), ch.isActive());
    }

    /** A WebSocket client subscribed to {@code channel} whose connect is held, so publications are pushed to it. */
    private EmbeddedChannel subscribedSocket(String channel) {
        return subscriber(channel).channel();
    }

    record Subscriber(EmbeddedChannel channel, String clientId) {
    }

    private Subscriber subscriber(String channel) {
        EmbeddedChannel ch = upgradedSocket();
        send(ch, WebSocketWire.text("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]"));
        String id = new Socket(frames(ch), true).messages().get(0).get("clientId").asText();
        send(ch, WebSocketWire.text("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"" + channel + "\"}]"));
        send(ch, WebSocketWire.text("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]"));
        assertThat(new Socket(frames(ch), true).messages()).extracting(m -> m.get("successful").asBoolean()).containsExactly(true);
        return new Subscriber(ch, id);
    }

    /** What was pushed to a subscribed socket since it last wrote: one frame, as its text. */
    private static String pushed(EmbeddedChannel sub) {
        sub.runPendingTasks();
        List<ServerFrame> out = frames(sub);
        assertThat(out).hasSize(1);
        return out.get(0).text();
    }

    /** Long-polling answers 400 {@code Bad request} and keeps the connection; WebSocket ignores the frame and stays open. */
    private void assertRejected(byte[] body) {
        Poll poll = poll(body);
        assertThat(poll.status()).isEqualTo(400);
        assertThat(poll.body()).isEqualTo("Bad request");
        assertThat(poll.open()).isTrue();
        Socket ws = ws(body);
        assertThat(ws.frames()).as("ignored").isEmpty();
        assertThat(ws.open()).isTrue();
        assertThat(swallowed.drain()).isEmpty();
    }

    private void assertRejectedAndClosed1007(byte[] body) {
        Poll poll = poll(body);
        assertThat(poll.status()).isEqualTo(400);
        assertThat(poll.open()).isTrue();
        Socket ws = ws(body);
        assertThat(ws.frames()).extracting(Object::toString).containsExactly("frame(op=8, code 1007)");
        swallowed.drain();
    }

    /** Both transports answer with exactly {@code replies}: long-polling as a 200 body, WebSocket as one text frame. */
    private void assertReplies(byte[] body, String replies) {
        Poll poll = poll(body);
        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.body()).isEqualTo(replies);
        assertThat(poll.open()).isTrue();
        Socket ws = ws(body);
        assertThat(ws.frames()).extracting(ServerFrame::text).containsExactly(replies);
        assertThat(ws.open()).isTrue();
        assertThat(swallowed.drain()).isEmpty();
    }
}
