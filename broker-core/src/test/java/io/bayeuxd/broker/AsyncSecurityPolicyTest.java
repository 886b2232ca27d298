package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy.HandshakeDecision;
import io.bayeuxd.api.ServerSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link AsyncSecurityPolicy} whose answers the test gives by hand, on the embedded channel's loop with
 * its clock frozen: requests wait, resume in order on that loop, and time out as documented.
 */
class AsyncSecurityPolicyTest {
    private final BrokerHarness h = new BrokerHarness();
    /** The decision asked for each channel ("handshake" for handshakes), in the order asked. */
    private final Map<String, CompletableFuture<Object>> asked = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    /** Channels answered at once, as a cached answer is. */
    private final Map<String, Object> answeredAtOnce = new ConcurrentHashMap<>();

    private final AsyncSecurityPolicy policy = new AsyncSecurityPolicy() {
        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<HandshakeDecision> canHandshake(BayeuxMessage handshake, ExtensionContext context) {
            return (CompletionStage<HandshakeDecision>) (CompletionStage<?>) question("handshake");
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Decision> canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
            return (CompletionStage<Decision>) (CompletionStage<?>) question(channel);
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Decision> canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
            return (CompletionStage<Decision>) (CompletionStage<?>) question(channel);
        }

        @Override
        public long decisionTimeoutMs() {
            return 2_000;
        }
    };

    private CompletableFuture<Object> question(String key) {
        order.add(key);
        Object now = answeredAtOnce.get(key);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Object> f = new CompletableFuture<>();
        asked.put(key, f);
        return f;
    }

    @AfterEach
    void close() {
        h.close();
    }

    private BatchResult process(String json) {
        return h.broker.process(h.decoder.decode(json), h.context, h.loop.eventLoop());
    }

    private ArrayNode replies(BatchResult result) {
        assertThat(result.isDecided()).isTrue();
        return BrokerHarness.toJson(h.frames.frame(io.netty.buffer.ByteBufAllocator.DEFAULT, result.replies(), null));
    }

    private static final String HANDSHAKE =
            "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}";

    private String handshakeAllowed() {
        answeredAtOnce.put("handshake", HandshakeDecision.ALLOW);
        try {
            return replies(process(HANDSHAKE)).get(0).get("clientId").asText();
        } finally {
            answeredAtOnce.remove("handshake");
        }
    }

    @Test
    void aHandshakeWaitsForItsDecisionAndResumesOnTheRequestsLoop() {
        h.broker.asyncSecurityPolicy(policy);
        BatchResult result = process(HANDSHAKE);
        assertThat(result.isDecided()).isFalse();
        List<String> ran = new ArrayList<>();
        result.whenDecided(() -> ran.add("decided"));

        // Answered on another thread: the broker continues only when the loop runs its tasks.
        CompletableFuture.runAsync(() -> asked.get("handshake").complete(HandshakeDecision.allow("alice"))).join();
        assertThat(ran).isEmpty();
        h.loop.runPendingTasks();

        assertThat(ran).containsExactly("decided");
        JsonNode reply = replies(result).get(0);
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(h.engine.session(reply.get("clientId").asText()).principal()).isEqualTo("alice");
    }

    @Test
    void aCallerOffAnyLoopResumesOnNettysGlobalExecutor() throws Exception {
        h.broker.asyncSecurityPolicy(policy);
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Object> racing = new CompletableFuture<>();
            asked.clear();
            // Answered on another thread while (or before) the broker registers with the stage.
            CompletableFuture.runAsync(() -> {
                while (!asked.containsKey("handshake")) {
                    Thread.onSpinWait();
                }
                asked.get("handshake").complete(HandshakeDecision.ALLOW);
            });
            BatchResult result = h.broker.process(h.decoder.decode(HANDSHAKE), h.context);
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            result.whenDecided(() -> racing.complete(ran.incrementAndGet()));
            assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(replies(result)).hasSize(1);
        }
        assertThat(h.engine.sessionCount()).isEqualTo(50);
    }

    @Test
    void answersAlreadyInAreTakenAtOnce() {
        h.broker.asyncSecurityPolicy(policy);
        String id = handshakeAllowed();
        answeredAtOnce.put("/a", AsyncSecurityPolicy.Decision.ALLOW);
        BatchResult result = process("{\"channel\":\"/a\",\"clientId\":\"" + id + "\",\"data\":1}");
        assertThat(replies(result).get(0).get("successful").asBoolean()).isTrue();
    }

    @Test
    void laterMessagesOfTheRequestWaitForAnEarlierOnesDecision() {
        h.broker.asyncSecurityPolicy(policy);
        String id = handshakeAllowed();
        answeredAtOnce.put("/b", AsyncSecurityPolicy.Decision.ALLOW);
        BatchResult result = process("[{\"channel\":\"/a\",\"clientId\":\"" + id + "\",\"data\":1,\"id\":\"1\"},"
                + "{\"channel\":\"/b\",\"clientId\":\"" + id + "\",\"data\":2,\"id\":\"2\"}]");
        assertThat(result.isDecided()).isFalse();
        // /b is not even asked about before /a is decided.
        assertThat(order).containsExactly("handshake", "/a");

        asked.get("/a").complete(AsyncSecurityPolicy.Decision.deny("403:/a:Not a member"));
        h.loop.runPendingTasks();

        ArrayNode replies = replies(result);
        assertThat(replies.get(0).get("id").asText()).isEqualTo("1");
        assertThat(replies.get(0).get("error").asText()).isEqualTo("403:/a:Not a member");
        assertThat(replies.get(1).get("id").asText()).isEqualTo("2");
        assertThat(replies.get(1).get("successful").asBoolean()).isTrue();
        assertThat(h.broker.deniedOperations()).isEqualTo(1);
    }

    @Test
    void noAnswerInTimeIsAnsweredAuthorizationTimedOut() {
        h.loop.freezeTime();
        h.broker.asyncSecurityPolicy(policy);
        BatchResult handshake = process(HANDSHAKE);
        h.loop.advanceTimeBy(2_000, TimeUnit.MILLISECONDS);
        h.loop.runScheduledPendingTasks();

        JsonNode reply = replies(handshake).get(0);
        assertThat(reply.get("error").asText()).isEqualTo("403::Authorization timed out");
        // The same credentials may work in a moment: the client is told to try again, not to give up.
        assertThat(reply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(h.engine.sessionCount()).isZero();

        // An answer after the timeout changes nothing.
        asked.get("handshake").complete(HandshakeDecision.ALLOW);
        h.loop.runPendingTasks();
        assertThat(h.engine.sessionCount()).isZero();
        assertThat(h.broker.undecidedOperations()).isEqualTo(1);
    }

    @Test
    void aFailedOrEmptyAnswerIsAnsweredAuthorizationUnavailable() {
        h.broker.asyncSecurityPolicy(policy);
        String id = handshakeAllowed();
        BatchResult failed = process("{\"channel\":\"/a\",\"clientId\":\"" + id + "\",\"data\":1}");
        asked.get("/a").completeExceptionally(new IllegalStateException("backend down"));
        h.loop.runPendingTasks();
        assertThat(replies(failed).get(0).get("error").asText()).isEqualTo("403:/a:Authorization unavailable");

        BatchResult empty = process("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/b\"}");
        asked.get("/b").complete(null);
        h.loop.runPendingTasks();
        assertThat(replies(empty).get(0).get("error").asText()).isEqualTo("403:/b:Authorization unavailable");
        assertThat(h.engine.session(id).isSubscribed("/b")).isFalse();
    }

    @Test
    void eachChannelOfASubscribeIsAskedAtOnceAndTheFirstDenialStopsThere() {
        h.broker.asyncSecurityPolicy(policy);
        String id = handshakeAllowed();
        BatchResult result = process("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":[\"/a\",\"/b\",\"/c\"]}");
        assertThat(order).containsExactly("handshake", "/a", "/b", "/c");
        asked.get("/c").complete(AsyncSecurityPolicy.Decision.ALLOW);
        asked.get("/b").complete(AsyncSecurityPolicy.Decision.DENY);
        h.loop.runPendingTasks();
        assertThat(result.isDecided()).isFalse();
        asked.get("/a").complete(AsyncSecurityPolicy.Decision.ALLOW);
        h.loop.runPendingTasks();

        assertThat(replies(result).get(0).get("error").asText()).isEqualTo("403:/b:Forbidden channel");
        assertThat(h.engine.session(id).isSubscribed("/a")).isTrue();
        assertThat(h.engine.session(id).isSubscribed("/c")).isFalse();
    }

    @Test
    void malformedMessagesAndInProcessClientsAreNotAsked() {
        h.broker.asyncSecurityPolicy(policy);
        assertThat(replies(process("{\"channel\":\"/a\"}")).get(0).get("error").asText()).isEqualTo("402:data:Missing required parameter");
        assertThat(replies(process("{\"channel\":\"/meta/handshake\"}")).get(0).get("successful").asBoolean()).isFalse();
        try (LocalClient local = h.broker.newLocalClient(h.loop.eventLoop(), h.decoder)) {
            assertThat(local.subscribe("/x", m -> { }).successful()).isTrue();
        }
        assertThat(order).isEmpty();
    }
}
