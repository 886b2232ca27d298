package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AsyncExtension}s whose answers the test gives by hand, on the embedded channel's loop with its clock
 * frozen where time matters: a message waits for its extension, resumes on that loop, keeps the request's
 * order, and gets its Bayeux error on a timeout, a failure or an error of the extension's own.
 */
class AsyncExtensionTest {
    private final BrokerHarness h = new BrokerHarness();

    /** Holds each message it is asked about until the test answers it; records the channels asked. */
    private static final class HeldExtension implements AsyncExtension {
        final String name;
        final List<String> asked;
        final List<CompletableFuture<BayeuxMessage>> answers = new ArrayList<>();
        final List<BayeuxMessage> messages = new ArrayList<>();

        HeldExtension(String name, List<String> asked) {
            this.name = name;
            this.asked = asked;
        }

        @Override
        public CompletionStage<BayeuxMessage> incoming(BayeuxMessage message, ExtensionContext context) {
            asked.add(name + " " + message.channel());
            messages.add(message);
            CompletableFuture<BayeuxMessage> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public long timeoutMs() {
            return 2_000;
        }

        /** Answers the {@code i}th message with itself, from another thread, as a service's callback would. */
        void pass(int i) {
            CompletableFuture.runAsync(() -> answers.get(i).complete(messages.get(i))).join();
        }
    }

    private final List<String> asked = new ArrayList<>();
    private final HeldExtension first = new HeldExtension("first", asked);

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

    private static String publish(String id, String channel, String messageId) {
        return "{\"channel\":\"" + channel + "\",\"clientId\":\"" + id + "\",\"data\":1,\"id\":\"" + messageId + "\"}";
    }

    @Test
    void aMessageWaitsForItsExtensionAndResumesOnTheRequestsLoop() {
        String id = h.handshake();
        BrokerHarness.Collector delivered = h.collect(h.subscriber("/a"));
        h.broker.addExtension(first);

        BatchResult result = process(publish(id, "/a", "1"));
        assertThat(result.isDecided()).isFalse();
        List<String> ran = new ArrayList<>();
        result.whenDecided(() -> ran.add("decided"));

        first.pass(0);
        // Answered on another thread: nothing happens until the loop runs its tasks.
        assertThat(ran).isEmpty();
        assertThat(h.broker.publishedMessages()).isZero();
        h.loop.runPendingTasks();

        assertThat(ran).containsExactly("decided");
        assertThat(replies(result).get(0).get("successful").asBoolean()).isTrue();
        assertThat(h.broker.publishedMessages()).isEqualTo(1);
        assertThat(delivered.drain()).extracting(m -> m.get("channel").asText()).containsExactly("/a");
    }

    @Test
    void laterMessagesAndLaterExtensionsWaitTheirTurn() {
        String id = h.handshake();
        HeldExtension second = new HeldExtension("second", asked);
        h.broker.addExtension(first);
        h.broker.addExtension(second);

        BatchResult result = process("[" + publish(id, "/a", "1") + "," + publish(id, "/b", "2") + "]");
        assertThat(asked).containsExactly("first /a");
        first.pass(0);
        h.loop.runPendingTasks();
        assertThat(asked).containsExactly("first /a", "second /a");
        second.pass(0);
        h.loop.runPendingTasks();
        assertThat(asked).containsExactly("first /a", "second /a", "first /b");
        assertThat(result.isDecided()).isFalse();
        first.pass(1);
        h.loop.runPendingTasks();
        second.pass(1);
        h.loop.runPendingTasks();

        ArrayNode replies = replies(result);
        assertThat(replies).extracting(r -> r.get("id").asText()).containsExactly("1", "2");
        assertThat(h.broker.publishedMessages()).isEqualTo(2);
    }

    @Test
    void noAnswerInTimeIsAnsweredExtensionTimedOut() {
        h.loop.freezeTime();
        String id = h.handshake();
        h.broker.addExtension(first);
        BatchResult published = process(publish(id, "/a", "1"));
        BatchResult handshake = process("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        h.loop.advanceTimeBy(2_000, TimeUnit.MILLISECONDS);
        h.loop.runScheduledPendingTasks();

        JsonNode publishReply = replies(published).get(0);
        assertThat(publishReply.get("error").asText()).isEqualTo("500:/a:Extension timed out");
        assertThat(publishReply.get("id").asText()).isEqualTo("1");
        JsonNode handshakeReply = replies(handshake).get(0);
        assertThat(handshakeReply.get("error").asText()).isEqualTo("500::Extension timed out");
        assertThat(handshakeReply.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(h.engine.sessionCount()).isEqualTo(1);

        // An answer after the timeout changes nothing.
        first.pass(0);
        first.pass(1);
        h.loop.runPendingTasks();
        assertThat(h.broker.publishedMessages()).isZero();
        assertThat(h.engine.sessionCount()).isEqualTo(1);
        assertThat(h.broker.errors(500)).isEqualTo(2);
    }

    @Test
    void anErrorOfTheExtensionsOwnIsAnsweredAndStopsTheMessage() {
        String id = h.handshake();
        HeldExtension second = new HeldExtension("second", asked);
        h.broker.addExtension(first);
        h.broker.addExtension(second);
        BatchResult result = process("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/a\"}");
        BayeuxMessage refused = first.messages.get(0).error("403:/a:Bad token");
        CompletableFuture.runAsync(() -> first.answers.get(0).complete(refused)).join();
        h.loop.runPendingTasks();

        assertThat(replies(result).get(0).get("error").asText()).isEqualTo("403:/a:Bad token");
        assertThat(asked).containsExactly("first /meta/subscribe");
        assertThat(h.engine.session(id).isSubscribed("/a")).isFalse();
    }

    @Test
    void aFailureAThrowAndANullAnswer() {
        String id = h.handshake();
        h.broker.addExtension(first);
        BatchResult failed = process(publish(id, "/a", "1"));
        first.answers.get(0).completeExceptionally(new IllegalStateException("auth service down"));
        h.loop.runPendingTasks();
        assertThat(replies(failed).get(0).get("error").asText()).isEqualTo("500:/a:Extension failed");

        BatchResult dropped = process(publish(id, "/a", "2"));
        first.answers.get(1).complete(null);
        h.loop.runPendingTasks();
        assertThat(replies(dropped)).isEmpty();

        h.broker.removeExtension(first);
        h.broker.addExtension((AsyncExtension) (message, context) -> {
            throw new IllegalStateException("broken extension");
        });
        assertThat(replies(process(publish(id, "/a", "3"))).get(0).get("error").asText()).isEqualTo("500:/a:Extension failed");
        assertThat(h.broker.publishedMessages()).isZero();
    }

    @Test
    void anAnswerThatIsAnotherMessageIsAFailureAndNothingOfItIsHandled() {
        String id = h.handshake();
        h.broker.addExtension(first);
        BatchResult result = process(publish(id, "/a", "1"));
        BayeuxMessage forged = new io.bayeuxd.protocol.Message().channel("/elsewhere").clientId(id).data(JsonValue.parse("2"));
        CompletableFuture.runAsync(() -> first.answers.get(0).complete(forged)).join();
        h.loop.runPendingTasks();

        assertThat(replies(result).get(0).get("error").asText()).isEqualTo("500:/a:Extension failed");
        assertThat(h.broker.publishedMessages()).isZero();
    }

    @Test
    void anAnswerAlreadyInIsTakenAtOnceAndOutgoingStaysSynchronous() {
        String id = h.handshake();
        h.broker.addExtension(new AsyncExtension() {
            @Override
            public CompletionStage<BayeuxMessage> incoming(BayeuxMessage message, ExtensionContext context) {
                return CompletableFuture.completedFuture(message);
            }

            @Override
            public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
                return message.ext(JsonValue.parse("{\"checked\":true}"));
            }
        });
        BatchResult result = process(publish(id, "/a", "1"));
        JsonNode reply = replies(result).get(0);
        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(reply.get("ext").get("checked").asBoolean()).isTrue();
    }

    @Test
    void anAsynchronousPolicyIsAskedOnceTheExtensionsAnswered() {
        String id = h.handshake();
        CompletableFuture<AsyncSecurityPolicy.Decision> decision = new CompletableFuture<>();
        h.broker.asyncSecurityPolicy(new AsyncSecurityPolicy() {
            @Override
            public CompletionStage<Decision> canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
                asked.add("policy " + channel);
                return decision;
            }
        });
        h.broker.addExtension(first);
        BatchResult result = process(publish(id, "/a", "1"));
        assertThat(asked).containsExactly("first /a");
        first.pass(0);
        h.loop.runPendingTasks();
        assertThat(asked).containsExactly("first /a", "policy /a");
        assertThat(result.isDecided()).isFalse();
        CompletableFuture.runAsync(() -> decision.complete(AsyncSecurityPolicy.Decision.deny("403:/a:Not a member"))).join();
        h.loop.runPendingTasks();
        assertThat(replies(result).get(0).get("error").asText()).isEqualTo("403:/a:Not a member");
    }

    @Test
    void aCallerOffAnyLoopResumesOnNettysGlobalExecutor() throws Exception {
        String id = h.handshake();
        // Answered on another thread at once: while, before or after the broker registers with the stage.
        h.broker.addExtension((AsyncExtension) (message, context) -> CompletableFuture.supplyAsync(() -> message));
        for (int i = 0; i < 50; i++) {
            BatchResult result = h.broker.process(h.decoder.decode("[" + publish(id, "/a", "1") + "," + publish(id, "/b", "2") + "]"), h.context);
            CompletableFuture<Integer> ran = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            result.whenDecided(() -> ran.complete(calls.incrementAndGet()));
            assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(replies(result)).extracting(r -> r.get("id").asText()).containsExactly("1", "2");
        }
        assertThat(h.broker.publishedMessages()).isEqualTo(100);
    }

    @Test
    void inProcessClientsDoNotWait() {
        h.broker.addExtension(first);
        try (LocalClient local = h.broker.newLocalClient(h.loop.eventLoop(), h.decoder)) {
            assertThat(local.subscribe("/x", m -> { }).successful()).isTrue();
            assertThat(local.publish("/x", JsonValue.parse("1")).successful()).isTrue();
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void withoutAnAsynchronousExtensionARequestIsDecidedAtOnce() {
        String id = h.handshake();
        BatchResult result = process(publish(id, "/a", "1"));
        assertThat(result.isDecided()).isTrue();
        assertThat(replies(result).get(0).get("successful").asBoolean()).isTrue();
    }
}
