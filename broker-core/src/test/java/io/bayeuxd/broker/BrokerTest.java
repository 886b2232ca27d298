package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol as Faye 1.4's server answers it, message by message. */
class BrokerTest {
    private final BrokerHarness h = new BrokerHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void handshakeCreatesSessionWithFayeShapedReply() {
        JsonNode reply = h.sendOne("{\"channel\":\"/meta/handshake\",\"id\":\"1\",\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\",\"websocket\"]}");
        assertThat(reply.get("id").asText()).isEqualTo("1");
        assertThat(reply.get("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(reply.get("version").asText()).isEqualTo("1.0");
        assertThat(reply.get("supportedConnectionTypes")).extracting(JsonNode::asText)
                .containsExactly("long-polling", "cross-origin-long-polling", "callback-polling", "websocket", "eventsource");
        assertThat(reply.get("clientId").asText()).matches("[0-9a-z]{31}");
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("retry");
        assertThat(reply.get("advice").get("interval").asLong()).isEqualTo(0);
        assertThat(reply.get("advice").get("timeout").asLong()).isEqualTo(60_000);
        assertThat(h.engine.session(reply.get("clientId").asText())).isNotNull();
    }

    @Test
    void anEventSourceConnectIsAnsweredAtOnceAndAdvisedToComeBackAfterTheTimeout() {
        String id = h.handshake();
        BatchResult r = h.process("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"eventsource\"}");
        assertThat(r.holdMs()).isZero();
        assertThat(r.connectReply().successful()).isTrue();
        assertThat(r.connectReply().advice().intervalMs()).isEqualTo(60_000);
        assertThat(r.connectReply().advice().timeoutMs()).isZero();
    }

    @Test
    void clientIdsAreDistinct() {
        assertThat(h.handshake()).isNotEqualTo(h.handshake());
    }

    @Test
    void handshakeErrorsUseFayeCodesAndAdviseHandshake() {
        JsonNode noVersion = h.sendOne("{\"channel\":\"/meta/handshake\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        assertThat(noVersion.get("successful").asBoolean()).isFalse();
        assertThat(noVersion.get("error").asText()).isEqualTo("402:version:Missing required parameter");
        assertThat(noVersion.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(noVersion.has("clientId")).isFalse();

        JsonNode noTypes = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\"}");
        assertThat(noTypes.get("error").asText()).isEqualTo("402:supportedConnectionTypes:Missing required parameter");

        JsonNode mismatch = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"foo\",\"bar\"]}");
        assertThat(mismatch.get("error").asText()).isEqualTo("301:foo,bar:Connection types not supported");
        assertThat(h.engine.sessionCount()).isZero();
    }

    @Test
    void connectIsHeldForTheTimeoutUnlessAskedOrBatched() {
        String id = h.handshake();
        BatchResult held = h.connect(id);
        assertThat(held.holdMs()).isEqualTo(60_000);
        assertThat(held.connectReply().successful()).isTrue();
        assertThat(held.connectReply().advice().reconnect()).isEqualTo("retry");

        BatchResult zero = h.process("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id
                + "\",\"connectionType\":\"long-polling\",\"advice\":{\"timeout\":0}}");
        assertThat(zero.holdMs()).isZero();

        BatchResult batched = h.process("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"},"
                + "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/a\"}]");
        assertThat(batched.holdMs()).isZero();
        assertThat(batched.replies()).hasSize(1);
    }

    @Test
    void connectErrors() {
        JsonNode unknown = h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"nope\",\"connectionType\":\"long-polling\"}");
        assertThat(unknown.get("error").asText()).isEqualTo("401:nope:Unknown client");
        assertThat(unknown.has("clientId")).isFalse();
        assertThat(unknown.get("advice").get("reconnect").asText()).isEqualTo("handshake");

        String id = h.handshake();
        JsonNode noType = h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\"}");
        assertThat(noType.get("error").asText()).isEqualTo("402:connectionType:Missing required parameter");

        JsonNode badType = h.sendOne("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"carrier-pigeon\"}");
        assertThat(badType.get("error").asText()).isEqualTo("301:carrier-pigeon:Connection types not supported");

        JsonNode noClient = h.sendOne("{\"channel\":\"/meta/connect\",\"connectionType\":\"long-polling\"}");
        assertThat(noClient.get("error").asText()).isEqualTo("402:clientId:Missing required parameter");
    }

    @Test
    void subscribeEchoesSubscriptionAndEnforcesChannelRules() {
        String id = h.handshake();
        JsonNode single = h.subscribe(id, "/foo");
        assertThat(single.get("successful").asBoolean()).isTrue();
        assertThat(single.get("subscription").asText()).isEqualTo("/foo");
        assertThat(single.get("clientId").asText()).isEqualTo(id);

        JsonNode many = h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":[\"/a\",\"/b/*\"]}");
        assertThat(many.get("subscription")).extracting(JsonNode::asText).containsExactly("/a", "/b/*");

        assertThat(h.subscribe(id, "/meta/foo").get("error").asText()).isEqualTo("403:/meta/foo:Forbidden channel");
        assertThat(h.subscribe(id, "/service/foo").get("error").asText()).isEqualTo("403:/service/foo:Forbidden channel");
        assertThat(h.subscribe(id, "/foo bar").get("error").asText()).isEqualTo("405:/foo bar:Invalid channel");
        assertThat(h.subscribe(id, "/a/*/b").get("error").asText()).isEqualTo("405:/a/*/b:Invalid channel");
        assertThat(h.subscribe("nobody", "/foo").get("error").asText()).isEqualTo("401:nobody:Unknown client");

        JsonNode missing = h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\"}");
        assertThat(missing.get("error").asText()).isEqualTo("402:subscription:Missing required parameter");
        assertThat(missing.get("subscription").isArray()).isTrue();

        assertThat(h.engine.session(id).subscriptions()).containsExactlyInAnyOrder("/foo", "/a", "/b/*");
    }

    @Test
    void publishDeliversEncodedOnceWithoutClientIdToEverySubscriberIncludingSender() {
        String alice = h.subscriber("/chat");
        String bob = h.subscriber("/chat");
        BrokerHarness.Collector a = h.collect(alice);
        BrokerHarness.Collector b = h.collect(bob);

        JsonNode reply = h.sendOne("{\"channel\":\"/chat\",\"clientId\":\"" + alice + "\",\"id\":\"7\","
                + "\"data\":{\"text\":\"hi\",\"n\":[1,2]},\"ext\":{\"k\":1}}");
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(reply.get("id").asText()).isEqualTo("7");
        assertThat(reply.get("channel").asText()).isEqualTo("/chat");
        assertThat(reply.has("data")).isFalse();

        for (List<JsonNode> received : List.of(a.drain(), b.drain())) {
            assertThat(received).hasSize(1);
            JsonNode m = received.get(0);
            assertThat(m.get("channel").asText()).isEqualTo("/chat");
            assertThat(m.get("data").get("text").asText()).isEqualTo("hi");
            assertThat(m.get("id").asText()).isEqualTo("7");
            assertThat(m.get("ext").get("k").asInt()).isEqualTo(1);
            assertThat(m.has("clientId")).isFalse();
        }
    }

    @Test
    void publishNeedsNoHandshake() {
        String sub = h.subscriber("/open");
        BrokerHarness.Collector c = h.collect(sub);
        JsonNode reply = h.sendOne("{\"channel\":\"/open\",\"data\":\"x\"}");
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(c.drain()).hasSize(1);
    }

    @Test
    void publishErrors() {
        assertThat(h.publish("x", "/foo/*", "1").get("error").asText()).isEqualTo("405:/foo/*:Invalid channel");
        assertThat(h.publish("x", "/foo/**", "1").get("error").asText()).isEqualTo("405:/foo/**:Invalid channel");
        assertThat(h.sendOne("{\"channel\":\"/foo\"}").get("error").asText()).isEqualTo("402:data:Missing required parameter");
        assertThat(h.publish("x", "/meta/foo", "1").get("error").asText()).isEqualTo("403:/meta/foo:Forbidden channel");
        assertThat(h.sendOne("{\"data\":1}").get("error").asText()).isEqualTo("405::Invalid channel");
        assertThat(h.sendOne("{\"data\":null,\"channel\":\"/n\"}").get("successful").asBoolean()).isTrue();
    }

    @Test
    void wildcardsMatchAsFayeExpandsAndEachClientGetsAMessageOnce() {
        String one = h.subscriber("/room/*");
        String deep = h.subscriber("/room/**");
        String both = h.handshake();
        h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + both + "\",\"subscription\":[\"/room/*\",\"/room/**\",\"/room/a\",\"/**\"]}");
        BrokerHarness.Collector c1 = h.collect(one);
        BrokerHarness.Collector c2 = h.collect(deep);
        BrokerHarness.Collector c3 = h.collect(both);

        h.publish(one, "/room/a", "1");
        h.publish(one, "/room/a/b", "2");
        h.publish(one, "/room", "3");

        assertThat(c1.drain()).extracting(m -> m.get("data").asInt()).containsExactly(1);
        assertThat(c2.drain()).extracting(m -> m.get("data").asInt()).containsExactly(1, 2);
        assertThat(c3.drain()).extracting(m -> m.get("data").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void unsubscribeStopsDelivery() {
        String id = h.subscriber("/x");
        BrokerHarness.Collector c = h.collect(id);
        h.publish(id, "/x", "1");
        JsonNode reply = h.unsubscribe(id, "/x");
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(reply.get("subscription").asText()).isEqualTo("/x");
        h.publish(id, "/x", "2");
        assertThat(c.drain()).extracting(m -> m.get("data").asInt()).containsExactly(1);
        assertThat(h.engine.subscriptionCount()).isZero();
    }

    @Test
    void disconnectEndsTheSession() {
        String id = h.subscriber("/x");
        BrokerHarness.Collector c = h.collect(id);
        JsonNode reply = h.disconnect(id);
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(h.engine.session(id)).isNull();
        assertThat(h.engine.subscriptionCount()).isZero();
        c.drain();
        assertThat(c.closedCalls).isEqualTo(1);
        JsonNode again = h.disconnect(id);
        assertThat(again.get("error").asText()).isEqualTo("401:" + id + ":Unknown client");
    }

    @Test
    void unknownMetaChannelIsForbidden() {
        assertThat(h.sendOne("{\"channel\":\"/meta/nope\"}").get("error").asText()).isEqualTo("403:/meta/nope:Forbidden channel");
        // /meta itself is a meta channel (Faye's Channel.isMeta), not a channel to publish to.
        assertThat(h.sendOne("{\"channel\":\"/meta\",\"data\":1}").get("error").asText()).isEqualTo("403:/meta:Forbidden channel");
    }

    @Test
    void everyMessageOfABatchGetsItsReplyInOrder() {
        String id = h.handshake();
        ArrayNode replies = h.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/a\",\"id\":\"1\"},"
                + "{\"channel\":\"/a\",\"data\":1,\"id\":\"2\"},{\"channel\":\"/meta/nope\",\"id\":\"3\"}]");
        assertThat(replies).extracting(r -> r.get("id").asText()).containsExactly("1", "2", "3");
    }

    @Test
    void sessionsSilentForTwiceTheTimeoutExpire() {
        String id = h.subscriber("/x");
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(119));
        assertThat(h.broker.sweep()).isZero();
        h.connect(id);
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(119));
        assertThat(h.broker.sweep()).isZero();
        h.clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(h.broker.sweep()).isEqualTo(1);
        assertThat(h.engine.session(id)).isNull();
        assertThat(h.engine.subscriptionCount()).isZero();
        assertThat(h.broker.expiredSessions()).isEqualTo(1);
    }

    @Test
    void extensionsSeeExtAndCanRejectOrRewrite() {
        List<String> seenTokens = new ArrayList<>();
        h.broker.addExtension(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
                if (message.channel() != null && message.channel().startsWith("/secure/")) {
                    JsonValue ext = message.ext();
                    String token = ext == null ? null : ext.tree().path("token").asText(null);
                    seenTokens.add(token + "@" + context.connectionType());
                    if (!"letmein".equals(token)) {
                        message.error(BayeuxError.channelForbidden(message.channel()));
                    }
                }
                return message;
            }

            @Override
            public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
                if ("/meta/handshake".equals(message.channel())) {
                    message.ext(JsonValue.parse("{\"server\":\"bayeuxd\"}"));
                }
                return message;
            }
        });
        String id = h.subscriber("/secure/room");
        BrokerHarness.Collector c = h.collect(id);

        JsonNode denied = h.sendOne("{\"channel\":\"/secure/room\",\"data\":1}");
        assertThat(denied.get("error").asText()).isEqualTo("403:/secure/room:Forbidden channel");
        JsonNode allowed = h.sendOne("{\"channel\":\"/secure/room\",\"data\":2,\"ext\":{\"token\":\"letmein\"}}");
        assertThat(allowed.get("successful").asBoolean()).isTrue();
        assertThat(c.drain()).extracting(m -> m.get("data").asInt()).containsExactly(2);
        assertThat(seenTokens).containsExactly("null@long-polling", "letmein@long-polling");

        JsonNode hs = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}");
        assertThat(hs.get("ext").get("server").asText()).isEqualTo("bayeuxd");
    }

    @Test
    void fullOutboxDropsAndCountsInsteadOfGrowing() {
        try (BrokerHarness small = new BrokerHarness(BrokerConfig.builder().outboxCapacity(4)
                .slowConsumerPolicy(BrokerConfig.SlowConsumerPolicy.DROP_NEWEST).build())) {
            String id = small.subscriber("/x");
            for (int i = 0; i < 10; i++) {
                small.publish(id, "/x", Integer.toString(i));
            }
            assertThat(small.engine.session(id).queuedMessages()).isEqualTo(4);
            assertThat(small.engine.droppedMessages()).isEqualTo(6);
            BrokerHarness.Collector c = small.collect(id);
            assertThat(c.drain()).extracting(m -> m.get("data").asInt()).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void serviceChannelsReachOnlyLocalClients() {
        String remote = h.subscriber("/**");
        BrokerHarness.Collector rc = h.collect(remote);
        List<Message> got = new ArrayList<>();
        LocalClient local = h.broker.newLocalClient(h.loop.eventLoop(), h.decoder);
        assertThat(local.subscribe("/service/echo", got::add).successful()).isTrue();

        h.publish(remote, "/service/echo", "{\"q\":1}");
        h.loop.runPendingTasks();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).data().tree().get("q").asInt()).isEqualTo(1);
        assertThat(rc.drain()).isEmpty();

        assertThat(local.publish("/news", JsonValue.parse("\"hello\"")).successful()).isTrue();
        assertThat(rc.drain()).extracting(m -> m.get("data").asText()).containsExactly("hello");
        local.close();
    }
}
