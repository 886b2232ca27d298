package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.session.Session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Asks the {@link AsyncSecurityPolicy} about one message, after the checks its handler makes before
 * asking (so the policy is never asked about a malformed or rate-limited message), and makes its reply
 * once the answer is in. Each channel of a subscribe is asked at once; the handler then goes through them
 * in order, as with the synchronous policy.
 */
final class AsyncDecisions {
    private final Engine engine;
    private final AccessGate gate;
    private final HandshakeHandler handshake;
    private final SubscriptionHandler subscribe;
    private final PublishHandler publish;
    private final boolean requireHandshake;

    AsyncDecisions(Engine engine, AccessGate gate, HandshakeHandler handshake, SubscriptionHandler subscribe,
                   PublishHandler publish, boolean requireHandshake) {
        this.engine = engine;
        this.gate = gate;
        this.handshake = handshake;
        this.subscribe = subscribe;
        this.publish = publish;
        this.requireHandshake = requireHandshake;
    }

    /** A message the policy was asked about: the question, and how its reply is made from the answer. */
    static final class Pending {
        /** {@code null} when the reply is known without asking. */
        final CompletionStage<?> question;
        private final Message answered;
        private final BiFunction<DecisionWait, Long, Message> reply;

        private Pending(CompletionStage<?> question, Message answered, BiFunction<DecisionWait, Long, Message> reply) {
            this.question = question;
            this.answered = answered;
            this.reply = reply;
        }

        Message reply(DecisionWait answer, long nowNanos) {
            return question == null ? answered : reply.apply(answer, nowNanos);
        }
    }

    /**
     * Returns what the policy is asked, or a reply known without asking, or {@code null} for a message the
     * policy has no say in (a connect, an in-process client's, one its handler refuses anyway): handled as
     * usual.
     */
    Pending ask(AsyncSecurityPolicy policy, Message request, RequestContext context, long nowNanos) {
        String channel = request.channel();
        if (!ChannelName.isMeta(channel)) {
            return askPublish(policy, request, context);
        }
        if (MetaChannels.HANDSHAKE.equals(channel)) {
            Message reply = handshake.admit(request, context, nowNanos);
            if (reply.error() != null) {
                return new Pending(null, reply, null);
            }
            return new Pending(policy.canHandshake(request, context), null,
                    (answer, now) -> handshake.finish(request, reply, gate.handshake(answer), now));
        }
        return MetaChannels.SUBSCRIBE.equals(channel) ? askSubscribe(policy, request, context) : null;
    }

    private Pending askPublish(AsyncSecurityPolicy policy, Message request, RequestContext context) {
        Message reply = publish.admit(request);
        if (reply.error() != null) {
            return new Pending(null, reply, null);
        }
        Session session = engine.session(request.clientId());
        if (session == null ? requireHandshake : session.isLocal()) {
            return null;
        }
        String channel = request.channel();
        return new Pending(policy.canPublish(session, channel, request, context), null,
                // The session is looked up again: it may have ended while the policy was deciding.
                (answer, now) -> publish.finish(request, reply, engine.session(request.clientId()),
                        gate.channel(channel, answer), context, now));
    }

    private Pending askSubscribe(AsyncSecurityPolicy policy, Message request, RequestContext context) {
        Session session = engine.session(request.clientId());
        List<String> channels = request.subscription();
        if (session == null || session.isLocal() || channels == null) {
            return null;
        }
        int n = channels.size();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[n];
        int asked = 0;
        // Up to the first channel the handler refuses before asking: it stops there.
        while (asked < n && ChannelName.isValid(channels.get(asked)) && ChannelName.isSubscribable(channels.get(asked))) {
            answers[asked] = future(policy.canSubscribe(session, channels.get(asked), request, context));
            asked++;
        }
        if (asked == 0) {
            return null;
        }
        int count = asked;
        CompletionStage<?> all = count == 1 ? answers[0] : CompletableFuture.allOf(Arrays.copyOf(answers, count));
        return new Pending(all, null, (answer, now) -> {
            String[] decided = new String[n];
            Arrays.fill(decided, count, n, BayeuxError.channelForbidden());
            for (int i = 0; i < count; i++) {
                CompletableFuture<?> f = answers[i];
                Throwable failure = f.isCompletedExceptionally() ? DecisionWait.cause(f.handle((v, e) -> e).join()) : null;
                boolean timedOut = (answer.timedOut() && !f.isDone()) || failure instanceof TimeoutException;
                decided[i] = gate.channel(channels.get(i), timedOut, failure == null && !timedOut ? f.getNow(null) : null,
                        failure);
            }
            return subscribe.handle(request, context, now, decided);
        });
    }

    /** Our own future for a policy's stage, so that nothing we do to it reaches the policy's. */
    private static <T> CompletableFuture<T> future(CompletionStage<T> stage) {
        CompletableFuture<T> f = new CompletableFuture<>();
        stage.whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f;
    }
}
