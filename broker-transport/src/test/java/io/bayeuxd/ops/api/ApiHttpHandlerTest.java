package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.bayeuxd.transport.LeakWatch;
import io.bayeuxd.transport.RawHttpResponse;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API through an {@link EmbeddedChannel} with the real HTTP codec and the real broker behind it: raw
 * requests in, raw responses out, read strictly. A local client subscribed to {@code /x/**} shows what a
 * publication reached.
 */
class ApiHttpHandlerTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final int MAX_BODY = 2048;

    private final LeakWatch leaks = new LeakWatch();
    private final MemoryEngine engine = new MemoryEngine(64);
    private final Broker broker = new Broker(BrokerConfig.builder().maxChannelLength(64).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final LocalClient publisher = broker.newLocalClient(ImmediateEventExecutor.INSTANCE, new BayeuxDecoder());
    private final LocalClient subscriber = broker.newLocalClient(ImmediateEventExecutor.INSTANCE, new BayeuxDecoder());
    private final List<Message> received = new ArrayList<>();
    private final PassedOn passedOn = new PassedOn();
    private final ApiChannel api = new ApiChannel(KEY, MAX_BODY,
            HttpApi.handler(new ApiKey(KEY), publisher::publish, broker,
                    new InfoEndpoint.Node("node-1", null, "1.2.3", "memory"), () -> 7, ImmediateEventExecutor.INSTANCE),
            passedOn);
    private final EmbeddedChannel ch = api.ch;

    ApiHttpHandlerTest() {
        assertThat(subscriber.subscribe("/x/**", received::add).successful()).isTrue();
    }

    @AfterEach
    void close() {
        api.close();
        engine.close();
        leaks.assertNoLeaks();
        leaks.close();
    }

    // --- publish

    @Test
    void publishesOneItemThroughTheBrokerToSubscribers() {
        RawHttpResponse res = api.post("/api/publish", "{\"channel\": \"/x/a\", \"data\": {\"n\": 1, \"s\": \"é\"}}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(res.json()).isEqualTo(json("{\"published\": 1}"));
        assertThat(received).singleElement().satisfies(m -> {
            assertThat(m.channel()).isEqualTo("/x/a");
            assertThat(m.data().tree()).isEqualTo(json("{\"n\": 1, \"s\": \"é\"}"));
        });
        assertThat(broker.publishedMessages()).isEqualTo(1);
    }

    @Test
    void publishesToSeveralChannelsOnceEachAndNullIsData() {
        RawHttpResponse res = api.post("/api/publish", "{\"channels\": [\"/x/a\", \"/x/b\", \"/x/a\"], \"data\": null}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"published\": 2}"));
        assertThat(received).extracting(Message::channel).containsExactly("/x/a", "/x/b");
        assertThat(received).allSatisfy(m -> assertThat(m.data().isNull()).isTrue());
    }

    @Test
    void theBrokersOutgoingExtensionsSeeTheApisPublications() {
        broker.addExtension(new Extension() {
            @Override
            public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
                return message.channel().equals("/x/a") ? message.data(JsonValue.parse("\"rewritten\"")) : message;
            }
        });
        assertThat(api.post("/api/publish", "{\"channel\": \"/x/a\", \"data\": 1}").status()).isEqualTo(200);
        assertThat(received).singleElement().satisfies(m -> assertThat(m.data().tree().textValue()).isEqualTo("rewritten"));
    }

    @Test
    void aPublicationAnIncomingExtensionRefusesIsA400WithTheBrokersError() {
        broker.addExtension(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
                return message.channel().equals("/x/closed") ? message.error(BayeuxError.channelForbidden("/x/closed")) : message;
            }
        });
        RawHttpResponse res = api.post("/api/publish", "{\"channel\": \"/x/closed\", \"data\": 1}");
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.json().get("error").textValue()).contains("/x/closed", "403:/x/closed:Forbidden channel");
        assertThat(received).isEmpty();
    }

    @Test
    void aBatchAnswersPerItemAnd400UnlessEveryItemWasPublished() {
        RawHttpResponse ok = api.post("/api/publish", "[{\"channel\": \"/x/a\", \"data\": 1}, {\"channels\": [\"/x/b\", \"/x/c\"], \"data\": 2}]");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json()).isEqualTo(json("{\"results\": [{\"published\": 1}, {\"published\": 2}]}"));
        assertThat(received).extracting(Message::channel).containsExactly("/x/a", "/x/b", "/x/c");

        received.clear();
        RawHttpResponse mixed = api.post("/api/publish", "[{\"channel\": \"/x/a\", \"data\": 1}, {\"channel\": \"/x/*\", \"data\": 2}]");
        assertThat(mixed.status()).isEqualTo(400);
        JsonNode results = mixed.json().get("results");
        assertThat(results.get(0)).isEqualTo(json("{\"published\": 1}"));
        assertThat(results.get(1).get("error").textValue()).contains("wildcard");
        assertThat(received).extracting(Message::channel).as("the good item went out").containsExactly("/x/a");
    }

    @Test
    void invalidPublicationsAre400WithAClearErrorAndPublishNothing() {
        assertError(api.post("/api/publish", "{\"channel\": \"/x/*\", \"data\": 1}"), 400, "wildcard");
        assertError(api.post("/api/publish", "{\"channel\": \"/x/**\", \"data\": 1}"), 400, "wildcard");
        assertError(api.post("/api/publish", "{\"channel\": \"/meta/connect\", \"data\": 1}"), 400, "/meta");
        assertError(api.post("/api/publish", "{\"channel\": \"/meta\", \"data\": 1}"), 400, "/meta");
        assertError(api.post("/api/publish", "{\"channel\": \"x\", \"data\": 1}"), 400, "not a valid channel name");
        assertError(api.post("/api/publish", "{\"channel\": \"/x//y\", \"data\": 1}"), 400, "not a valid channel name");
        assertError(api.post("/api/publish", "{\"channel\": 5, \"data\": 1}"), 400, "must be a string");
        assertError(api.post("/api/publish", "{\"channel\": \"/x/" + "a".repeat(70) + "\", \"data\": 1}"), 400, "longer or deeper");
        assertError(api.post("/api/publish", "{\"channel\": \"/x/a\"}"), 400, "data is required");
        assertError(api.post("/api/publish", "{\"data\": 1}"), 400, "exactly one of channel and channels");
        assertError(api.post("/api/publish", "{\"channel\": \"/x/a\", \"channels\": [\"/x/b\"], \"data\": 1}"), 400, "exactly one");
        assertError(api.post("/api/publish", "{\"channels\": [], \"data\": 1}"), 400, "non-empty array");
        assertError(api.post("/api/publish", "{\"channels\": \"/x/a\", \"data\": 1}"), 400, "non-empty array");
        assertError(api.post("/api/publish", "{\"channels\": [\"/x/a\", \"/x/*\"], \"data\": 1}"), 400, "wildcard");
        assertError(api.post("/api/publish", "{\"chanel\": \"/x/a\", \"data\": 1}"), 400, "unknown field \"chanel\"");
        assertError(api.post("/api/publish", "[]"), 400, "batch is empty");
        assertError(api.post("/api/publish", "\"/x/a\""), 400, "publication object or an array");
        assertThat(received).as("a checked item publishes none of its channels").isEmpty();
    }

    @Test
    void malformedJsonIs400() {
        assertError(api.post("/api/publish", "{\"channel\": \"/x/a\", \"data\": "), 400, "not valid JSON");
        assertError(api.post("/api/publish", "{\"channel\": \"/x/a\"} trailing"), 400, "not valid JSON");
        assertError(api.post("/api/publish", ""), 400, "empty");
        assertThat(received).isEmpty();
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs415() {
        assertError(api.post("/api/publish", "text/plain", "{\"channel\": \"/x/a\", \"data\": 1}"), 415, "application/json");
        assertThat(ch.isOpen()).isTrue();
        assertError(api.post("/api/publish", "application/jsonp", "{\"channel\": \"/x/a\", \"data\": 1}"), 415, "application/json");
        assertError(api.request("POST", "/api/publish", "Authorization: Bearer " + KEY, "{\"channel\": \"/x/a\", \"data\": 1}"), 415,
                "application/json");
        assertThat(api.post("/api/publish", "Application/JSON ; charset=UTF-8", "{\"channel\": \"/x/a\", \"data\": 1}").status())
                .isEqualTo(200);
        assertThat(received).hasSize(1);
    }

    @Test
    void aBodyOverTheLimitIs413AndClosesTheConnection() {
        String huge = "{\"channel\": \"/x/a\", \"data\": \"" + "a".repeat(MAX_BODY) + "\"}";
        RawHttpResponse res = api.post("/api/publish", huge);
        assertError(res, 413, "over " + MAX_BODY + " bytes");
        assertThat(res.headers()).containsEntry("connection", "close");
        assertThat(ch.isOpen()).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        api.send("POST /api/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        String chunk = "b".repeat(1000);
        for (int i = 0; i < 3 && ch.isOpen(); i++) {
            api.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        }
        assertError(api.read(), 413, "over " + MAX_BODY + " bytes");
        assertThat(ch.isOpen()).isFalse();
    }

    // --- the key

    @Test
    void aMissingOrWrongKeyIs401WithoutEchoingIt() {
        String body = "{\"channel\": \"/x/a\", \"data\": 1}";
        RawHttpResponse missing = api.request("POST", "/api/publish", "Content-Type: application/json", body);
        assertError(missing, 401, "missing or wrong API key");
        assertThat(missing.headers()).containsEntry("www-authenticate", "Bearer realm=\"bayeuxd\"");
        RawHttpResponse wrong = api.request("POST", "/api/publish", "Content-Type: application/json\r\nAuthorization: Bearer wrong-key-42", body);
        assertError(wrong, 401, "missing or wrong API key");
        assertThat(wrong.text()).doesNotContain("wrong-key-42").doesNotContain(KEY);
        assertError(api.request("GET", "/api/info", "Authorization: Bearer " + KEY + "x", null), 401, "missing or wrong API key");
        assertError(api.request("GET", "/api/info", "Authorization: Basic " + KEY, null), 401, "missing or wrong API key");
        assertError(api.request("GET", "/api/info", "Authorization: Bearer", null), 401, "missing or wrong API key");
        assertError(api.request("GET", "/api/nothing-here", null, null), 401, "missing or wrong API key");
        assertThat(api.request("GET", "/api/info", "Authorization: bearer " + KEY, null).status()).as("the scheme is case-insensitive")
                .isEqualTo(200);
        assertThat(received).isEmpty();
        assertThat(ch.isOpen()).as("a refusal keeps the connection").isTrue();
    }

    // --- methods and paths

    @Test
    void aWrongMethodIs405WithAllowAndAnUnknownPathIs404() {
        RawHttpResponse get = api.get("/api/publish");
        assertError(get, 405, "use POST");
        assertThat(get.headers()).containsEntry("allow", "POST");
        RawHttpResponse post = api.post("/api/channels", "{}");
        assertError(post, 405, "use GET");
        assertThat(post.headers()).containsEntry("allow", "GET");
        assertError(api.request("DELETE", "/api/disconnect", "Authorization: Bearer " + KEY, null), 405, "use POST");
        assertError(api.get("/api/unknown"), 404, "no such API endpoint");
        assertError(api.get("/api"), 404, "no such API endpoint");
        assertThat(api.get("/api/info?pretty=1").status()).as("a query does not change the path").isEqualTo(200);
    }

    @Test
    void otherPathsPassOnUntouched() {
        api.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /apis HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(passedOn.uris).containsExactly("/metrics", "/apis");
        assertThat(api.responses()).isEmpty();
    }

    @Test
    void aRequestTheDecoderCannotReadIs400AndCloses() {
        api.send("GET /api/info HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertError(api.read(), 400, "malformed HTTP request");
        assertThat(ch.isOpen()).isFalse();
    }

    // --- channels, info, disconnect

    @Test
    void channelsListsEveryChannelAndPatternWithItsSubscribers() {
        LocalClient other = broker.newLocalClient(ImmediateEventExecutor.INSTANCE, new BayeuxDecoder());
        other.subscribe("/x/**", m -> { });
        other.subscribe("/chat/room", m -> { });
        RawHttpResponse res = api.get("/api/channels");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"channels\": [{\"channel\": \"/chat/room\", \"subscribers\": 1},"
                + " {\"channel\": \"/x/**\", \"subscribers\": 2}]}"));
        other.close();
        assertThat(api.get("/api/channels").json()).isEqualTo(json("{\"channels\": [{\"channel\": \"/x/**\", \"subscribers\": 1}]}"));
    }

    @Test
    void infoNamesTheNodeAndCountsWhatItHolds() {
        RawHttpResponse res = api.get("/api/info");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"node\": \"node-1\", \"version\": \"1.2.3\", \"engine\": \"memory\","
                + " \"sessions\": 2, \"channels\": 1, \"subscriptions\": 1, \"connections\": 7}"));
        assertThat(engine.subscribe(remoteSession().session(), "/chat/a")).isTrue();
        assertThat(api.get("/api/info").json().get("sessions").intValue()).isEqualTo(3);
        assertThat(api.get("/api/info").json().get("subscriptions").intValue()).isEqualTo(2);
    }

    @Test
    void disconnectEndsARemoteSessionAsTheServerDoesAndTellsItsHeldConnect() {
        Remote remote = remoteSession();
        assertThat(engine.subscribe(remote.session, "/x/a")).isTrue();
        RawHttpResponse res = api.post("/api/disconnect", "{\"clientId\": \"" + remote.session.clientId() + "\"}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"disconnected\": \"" + remote.session.clientId() + "\"}"));
        assertThat(engine.session(remote.session.clientId())).isNull();
        assertThat(remote.target.closed).as("the held connect is answered").containsExactly(remote.session);
        assertThat(remote.session.reconnectAdviceOnClose()).isEqualTo("handshake");
        assertThat(api.get("/api/channels").json().get("channels")).hasSize(1);

        assertError(api.post("/api/disconnect", "{\"clientId\": \"" + remote.session.clientId() + "\"}"), 404, "no client");
    }

    @Test
    void disconnectOfAnUnknownOrInProcessClientIs404AndABadBodyIs400() {
        assertError(api.post("/api/disconnect", "{\"clientId\": \"nobody\"}"), 404, "no client with this clientId on this node");
        assertError(api.post("/api/disconnect", "{\"clientId\": \"" + publisher.clientId() + "\"}"), 404, "no client");
        assertThat(engine.session(publisher.clientId())).as("the API's own publisher lives on").isNotNull();
        assertError(api.post("/api/disconnect", "{}"), 400, "clientId or user is required");
        assertError(api.post("/api/disconnect", "{\"clientId\": 5}"), 400, "clientId or user is required");
        assertError(api.post("/api/disconnect", "[\"abc\"]"), 400, "clientId or user is required");
        assertError(api.post("/api/disconnect", "{\"user\": 5}"), 400, "either clientId or user");
        assertError(api.post("/api/disconnect", "{\"user\": \"alice\", \"clientId\": \"abc\"}"), 400, "either clientId or user");
        assertError(api.post("/api/disconnect", "{\"clientId\": \"abc\", \"x\": 1}"), 400, "only clientId");
    }

    @Test
    void disconnectOfAUserEndsEverySessionOfTheirsAndNoOtherOne() {
        Remote alice1 = remoteSession("alice");
        Remote alice2 = remoteSession("alice");
        Remote bob = remoteSession("bob");
        RawHttpResponse res = api.post("/api/disconnect", "{\"user\": \"alice\"}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().get("user").asText()).isEqualTo("alice");
        assertThat(res.json().get("disconnected")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(alice1.session.clientId(), alice2.session.clientId());
        assertThat(engine.session(alice1.session.clientId())).isNull();
        assertThat(engine.session(alice2.session.clientId())).isNull();
        assertThat(engine.session(bob.session.clientId())).isNotNull();
        assertThat(api.post("/api/disconnect", "{\"user\": \"alice\"}").json())
                .isEqualTo(json("{\"user\": \"alice\", \"disconnected\": []}"));
    }

    @Test
    void presenceListsTheRemoteSubscribersOfExactlyThatChannelWithUserAndSince() {
        long before = System.currentTimeMillis();
        Remote alice = remoteSession("alice");
        Remote anonymous = remoteSession(null);
        Remote wildcard = remoteSession("carol");
        assertThat(engine.subscribe(alice.session, "/chat/room")).isTrue();
        assertThat(engine.subscribe(anonymous.session, "/chat/room")).isTrue();
        assertThat(engine.subscribe(wildcard.session, "/chat/*")).isTrue();

        RawHttpResponse res = api.get("/api/presence?channel=%2Fchat%2Froom");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().get("channel").asText()).isEqualTo("/chat/room");
        JsonNode clients = res.json().get("clients");
        assertThat(clients).hasSize(2);
        assertThat(clients).extracting(c -> c.get("clientId").asText())
                .containsExactlyInAnyOrder(alice.session.clientId(), anonymous.session.clientId());
        for (JsonNode c : clients) {
            assertThat(Instant.parse(c.get("since").asText()).toEpochMilli()).isBetween(before, System.currentTimeMillis());
            String expected = c.get("clientId").asText().equals(alice.session.clientId()) ? "alice" : null;
            assertThat(c.get("user").isNull() ? null : c.get("user").asText()).isEqualTo(expected);
        }
        assertThat(api.get("/api/presence?channel=/chat/*").json().get("clients")).singleElement()
                .satisfies(c -> assertThat(c.get("user").asText()).isEqualTo("carol"));
        // In-process subscribers (the local client on /x/**) are not clients to a backend.
        assertThat(api.get("/api/presence?channel=/x/**").json()).isEqualTo(json("{\"channel\": \"/x/**\", \"clients\": []}"));

        assertError(api.get("/api/presence"), 400, "give one channel");
        assertError(api.get("/api/presence?channel=/a&channel=/b"), 400, "give one channel");
        assertError(api.get("/api/presence?channel=chat"), 400, "not a channel");
        assertError(api.get("/api/presence?channel=%zz"), 400, "%-encoding");
        assertError(api.post("/api/presence", "{}"), 405, "use GET");
    }

    @Test
    void unsubscribeStopsDeliveryToThatClientOnly() {
        Remote remote = remoteSession(null);
        assertThat(engine.subscribe(remote.session, "/x/a")).isTrue();
        assertThat(engine.subscribe(remote.session, "/x/b")).isTrue();
        RawHttpResponse res = api.post("/api/unsubscribe", "{\"clientId\": \"" + remote.session.clientId() + "\", \"channel\": \"/x/a\"}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json()).isEqualTo(json("{\"unsubscribed\": \"" + remote.session.clientId() + "\", \"channel\": \"/x/a\"}"));
        assertThat(remote.session.subscriptions()).containsExactly("/x/b");
        assertThat(subscriberOfInProcess()).as("the in-process subscriber keeps its pattern").isTrue();

        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"" + remote.session.clientId() + "\", \"channel\": \"/x/a\"}"),
                404, "not subscribed");
        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"nobody\", \"channel\": \"/x/a\"}"), 404, "no client");
        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"" + publisher.clientId() + "\", \"channel\": \"/x/a\"}"), 404, "no client");
        assertError(api.post("/api/unsubscribe", "{\"channel\": \"/x/a\"}"), 400, "clientId is required");
        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"abc\"}"), 400, "channel is required");
        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"abc\", \"channel\": \"x\"}"), 400, "not a channel");
        assertError(api.post("/api/unsubscribe", "{\"clientId\": \"abc\", \"channel\": \"/x\", \"y\": 1}"), 400, "only clientId and channel");
    }

    private boolean subscriberOfInProcess() {
        return engine.session(subscriber.clientId()).isSubscribed("/x/**");
    }

    // --- helpers

    /** A remote session whose principal names {@code user} ({@code null}: none). */
    private Remote remoteSession(String user) {
        Remote remote = remoteSession();
        remote.session.identify(null, user == null ? null : new io.bayeuxd.security.Principal(user, java.util.Set.of()));
        return remote;
    }

    /** A session as a long-polling client's, with a held connect standing in as its target. */
    private Remote remoteSession() {
        Session session = engine.createSession(false, System.nanoTime());
        RecordingTarget target = new RecordingTarget();
        session.attach(target);
        return new Remote(session, target);
    }

    private record Remote(Session session, RecordingTarget target) {
    }

    private static final class RecordingTarget implements DeliveryTarget {
        final List<Session> closed = new ArrayList<>();

        @Override
        public EventExecutor executor() {
            return ImmediateEventExecutor.INSTANCE;
        }

        @Override
        public void onMessages(Session session) {
        }

        @Override
        public void onSessionClosed(Session session) {
            closed.add(session);
        }
    }

    private static void assertError(RawHttpResponse res, int status, String containing) {
        assertThat(res.status()).as("status of %s", res.text()).isEqualTo(status);
        assertThat(res.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(res.json().get("error").textValue()).contains(containing);
        assertThat(res.json().size()).isEqualTo(1);
    }

    private static JsonNode json(String text) {
        return JsonValue.parse(text).tree();
    }

    /** What the API passes on: the rest of the management pipeline. */
    private static final class PassedOn extends ChannelInboundHandlerAdapter {
        final List<String> uris = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                uris.add(request.uri());
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
