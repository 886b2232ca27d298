package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.protocol.Message;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Walks one request's messages in order, each through: the incoming extensions, the asynchronous ones (one
 * at a time), the cluster's listening wait for a subscribe, the security policy, its channel's handler,
 * and the outgoing extensions into the request's {@link BatchResult}.
 *
 * <p>Any step but the synchronous ones may wait for an answer ({@link DecisionWait}): the message, and the
 * rest of the request after it, then go on from that step on the request's event loop, so the client's
 * order is kept. Each {@code resume} method below is such a continuation.
 */
final class RequestWalk {
    /** Under the broker's name, where operators look for its warnings. */
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final ExtensionChain extensions;
    private final AsyncExtensionChain asyncExtensions;
    private final ListeningWait listening;
    private final AccessGate gate;
    private final AsyncDecisions asyncDecisions;
    private final ChannelHandlers handlers;
    private final ErrorCounts errors;
    private final LongSupplier nanoClock;

    RequestWalk(BrokerConfig config, ExtensionChain extensions, AsyncExtensionChain asyncExtensions, ListeningWait listening,
                AccessGate gate, AsyncDecisions asyncDecisions, ChannelHandlers handlers, ErrorCounts errors,
                LongSupplier nanoClock) {
        this.config = config;
        this.extensions = extensions;
        this.asyncExtensions = asyncExtensions;
        this.listening = listening;
        this.gate = gate;
        this.asyncDecisions = asyncDecisions;
        this.handlers = handlers;
        this.errors = errors;
        this.nanoClock = nanoClock;
    }

    /** See {@link Broker#process(List, RequestContext, EventExecutor)}. */
    BatchResult process(List<Message> messages, RequestContext context, EventExecutor loop) {
        EventExecutor resumeOn = loop == null ? GlobalEventExecutor.INSTANCE : loop;
        BatchResult result = new BatchResult(messages.size());
        ListeningWait.Hold warm = listening.warm(messages);
        if (warm == null) {
            processFrom(0, messages, context, resumeOn, result);
            return result;
        }
        result.whenHandled(() -> ListeningWait.release(warm));
        try {
            processFrom(0, messages, context, resumeOn, result);
        } catch (RuntimeException e) {
            // The transport answers the failure; what was held for the request must not stay held.
            result.handled();
            throw e;
        }
        return result;
    }

    /**
     * Handles {@code messages} from {@code from} on, or up to one that waits: for an asynchronous extension,
     * a subscribe for the cluster bus to listen ({@link ListeningWait}), or a message for the asynchronous
     * policy, in that order. The rest of the request is then handled on {@code loop} once the wait is over,
     * so the client's order is kept.
     */
    private void processFrom(int from, List<Message> messages, RequestContext context, EventExecutor loop, BatchResult result) {
        for (int i = from, n = messages.size(); i < n; i++) {
            Message message = extensions.isEmpty() ? messages.get(i) : extensions.incoming(messages.get(i), context);
            if (message == null) {
                continue;
            }
            // In-process clients skip asynchronous extensions, so their calls answer at once.
            boolean handled = asyncExtensions.isEmpty() || context == LocalClient.IN_PROCESS
                    ? listenThenHandle(message, i, messages, context, loop, result)
                    : passAsyncExtensions(message, 0, i, messages, context, loop, result);
            if (!handled) {
                return;
            }
        }
        result.decided();
    }

    /**
     * Passes {@code message} (the request's {@code index}th) through the asynchronous extensions from
     * {@code first} on, one at a time, then decides and answers it. Returns false when it waits for one: it
     * then continues on the loop, and the rest of the request after it.
     */
    private boolean passAsyncExtensions(Message message, int first, int index, List<Message> messages,
                                        RequestContext context, EventExecutor loop, BatchResult result) {
        for (int k = first, n = asyncExtensions.size(); k < n; k++) {
            AsyncExtension extension = asyncExtensions.get(k);
            DecisionWait wait = waitOn(loop, result);
            Message asked = message;
            int at = k;
            if (!wait.await(AsyncExtensionChain.ask(extension, asked, context), extension.timeoutMs(),
                    () -> resumeAfterExtension(extension, asked, wait, at, index, messages, context, loop, result))) {
                return false;
            }
            message = asyncExtensions.outcome(extension, asked, wait);
            if (message == null) {
                return true;
            }
            if (message.error() != null) {
                break;
            }
        }
        return listenThenHandle(message, index, messages, context, loop, result);
    }

    /**
     * Waits, for a subscribe to a channel the cluster bus does not listen on yet, until it does; then handles
     * and answers {@code message} (the request's {@code i}th). Returns false when it waits: it then
     * continues on the loop, and the rest of the request after it.
     */
    private boolean listenThenHandle(Message message, int i, List<Message> messages, RequestContext context,
                                     EventExecutor loop, BatchResult result) {
        ListeningWait.Hold hold = listening.ahead(message);
        if (hold != null && hold.confirmed != null) {
            DecisionWait wait = waitOn(loop, result);
            if (!wait.await(hold.confirmed, ListeningWait.TIMEOUT_MS, () -> resumeListening(message, hold, i, messages, context, loop, result))) {
                return false;
            }
        }
        return handleOne(message, hold, i, messages, context, loop, result);
    }

    /**
     * Handles one message, past its incoming extensions, and answers it; lets go of its {@code hold} once
     * it is handled. Returns false when it waits for the asynchronous policy, whose answer then handles it
     * and the rest of the request.
     */
    private boolean handleOne(Message message, ListeningWait.Hold hold, int i, List<Message> messages, RequestContext context,
                              EventExecutor loop, BatchResult result) {
        long now = nanoClock.getAsLong();
        AsyncSecurityPolicy policy = gate.async();
        AsyncDecisions.Pending pending = policy == null || message.error() != null ? null
                : asyncDecisions.ask(policy, message, context, now);
        Message reply;
        boolean decidedLater = false;
        try {
            if (pending == null) {
                reply = handlers.handle(message, context, result, messages.size() > 1, now);
            } else if (pending.question == null) {
                reply = pending.reply(null, now);
            } else {
                int next = i + 1;
                DecisionWait wait = waitOn(loop, result);
                decidedLater = !wait.await(pending.question, policy.decisionTimeoutMs(),
                        () -> resumeAfterPolicy(pending, wait, hold, next, messages, context, loop, result));
                if (decidedLater) {
                    return false;
                }
                reply = pending.reply(wait, now);
            }
        } finally {
            if (!decidedLater) {
                ListeningWait.release(hold);
            }
        }
        answer(reply, context, result);
        return true;
    }

    /** Runs {@code reply} through the outgoing extensions into {@code result}. */
    private void answer(Message reply, RequestContext context, BatchResult result) {
        Replies.advise(reply, config);
        Message out = extensions.isEmpty() ? reply : extensions.outgoing(reply, context);
        if (out == null) {
            return;
        }
        if (out.error() != null) {
            errors.count(out.error());
        }
        if (reply == result.connectReply()) {
            result.replaceConnectReply(out);
        } else {
            result.add(out);
        }
    }

    /**
     * A wait for one answer, decided on the request's loop. The request is marked waiting first: off the
     * loop, the rest of it may run before {@link DecisionWait#await} returns.
     */
    private static DecisionWait waitOn(EventExecutor loop, BatchResult result) {
        result.waitForDecision();
        return new DecisionWait(loop);
    }

    /** On the request's loop, once an asynchronous extension answered: the message goes on, then the rest. */
    private void resumeAfterExtension(AsyncExtension extension, Message asked, DecisionWait wait, int at, int index,
                                      List<Message> messages, RequestContext context, EventExecutor loop, BatchResult result) {
        try {
            Message message = asyncExtensions.outcome(extension, asked, wait);
            boolean handled = message == null
                    || (message.error() != null
                        ? handleOne(message, null, index, messages, context, loop, result)
                        : passAsyncExtensions(message, at + 1, index, messages, context, loop, result));
            if (handled) {
                processFrom(index + 1, messages, context, loop, result);
            }
        } catch (RuntimeException e) {
            log.warn("A request failed after an asynchronous extension answered: {}", e.toString(), e);
            result.decided();
        }
    }

    /** On the request's loop, once the bus listens (or the wait timed out): the subscribe, then the rest. */
    private void resumeListening(Message message, ListeningWait.Hold hold, int at, List<Message> messages, RequestContext context,
                                 EventExecutor loop, BatchResult result) {
        try {
            if (handleOne(message, hold, at, messages, context, loop, result)) {
                processFrom(at + 1, messages, context, loop, result);
            }
        } catch (RuntimeException e) {
            log.warn("A request failed after the cluster listened for its subscription: {}", e.toString(), e);
            result.decided();
        }
    }

    /** On the request's loop, once the policy answered: the waiting message's reply, then the rest. */
    private void resumeAfterPolicy(AsyncDecisions.Pending pending, DecisionWait wait, ListeningWait.Hold hold, int next,
                                   List<Message> messages, RequestContext context, EventExecutor loop, BatchResult result) {
        try {
            Message reply;
            try {
                reply = pending.reply(wait, nanoClock.getAsLong());
            } finally {
                ListeningWait.release(hold);
            }
            answer(reply, context, result);
            processFrom(next, messages, context, loop, result);
        } catch (RuntimeException e) {
            // Synchronously this would reach the transport, which closes the connection; here the
            // transport still gets what was answered, so that its connection does not hang.
            log.warn("A request failed after its security decision: {}", e.toString(), e);
            result.decided();
        }
    }
}
