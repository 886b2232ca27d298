package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.storage.StoredChannels;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /meta/subscribe} and {@code /meta/unsubscribe}, which Faye validates identically: remote
 * clients may not (un)subscribe to {@code /meta/**} or {@code /service/**}; channels are processed in
 * order up to the first bad one. A subscribe to a channel that keeps history or records is answered
 * through its stored channel, which hands the subscriber what it kept (see {@code storage}); with a
 * single channel the reply's {@code ext} then says where the channel is ({@code position},
 * {@code epoch}) and whether a recovery asked for was served ({@code recovered}).
 */
final class SubscriptionHandler {
    private final Engine engine;
    private final AccessGate gate;
    private final Limits limits;
    private final boolean subscribe;
    private final StoredChannels storage;
    private final int replayLimit;
    private final LongAdder succeeded = new LongAdder();
    private final ServerEvents events;

    /**
     * @param storage     the channels that keep history or records, which hand them to new subscribers
     * @param replayLimit most replayed messages a session may have waiting
     */
    SubscriptionHandler(Engine engine, AccessGate gate, Limits limits, boolean subscribe, StoredChannels storage,
                        int replayLimit, ServerEvents events) {
        this.events = events;
        this.engine = engine;
        this.storage = storage;
        this.replayLimit = replayLimit;
        this.gate = gate;
        this.limits = limits;
        this.subscribe = subscribe;
    }

    Message handle(Message request, RequestContext context, long nowNanos) {
        return handle(request, context, nowNanos, null);
    }

    /**
     * @param decided the asynchronous policy's answer for each channel of the subscription, in its order
     *                (an error, or {@code null} when allowed), or {@code null} to ask the policy here
     */
    Message handle(Message request, RequestContext context, long nowNanos, String[] decided) {
        Message reply = Replies.to(request);
        String clientId = request.clientId();
        List<String> channels = request.subscription();
        Session session = engine.session(clientId);
        if (session == null) {
            Replies.fail(reply, BayeuxError.clientUnknown(clientId));
        }
        if (clientId == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("clientId"));
        }
        if (channels == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("subscription"));
            reply.subscription(List.of(), true);
        } else {
            reply.subscription(channels, request.subscriptionIsArray());
        }
        if (reply.error() != null) {
            return reply;
        }
        for (int i = 0, n = channels.size(); i < n; i++) {
            String channel = channels.get(i);
            if (!ChannelName.isValid(channel) || !limits.channelFits(channel)) {
                return Replies.fail(reply, BayeuxError.channelInvalid(channel));
            }
            if (!session.isLocal() && !ChannelName.isSubscribable(channel)) {
                return Replies.fail(reply, BayeuxError.channelForbidden(channel));
            }
            if (subscribe) {
                String full = limits.subscriptionError(session, channel);
                if (full != null) {
                    return Replies.fail(reply, full);
                }
                String denied = decided == null ? gate.subscribe(session, channel, request, context) : decided[i];
                if (denied != null) {
                    return Replies.fail(reply, denied);
                }
                boolean announce = !events.isEmpty() && !session.isSubscribed(channel);
                JsonValue ext = storage.subscribe(channel, session, request.ext(),
                        () -> engine.subscribe(session, channel), replayLimit, nowNanos / 1_000_000);
                if (ext != null && channels.size() == 1) {
                    reply.ext(ext);
                }
                if (announce && session.isSubscribed(channel)) {
                    events.subscribe(session, channel);
                }
            } else if (engine.unsubscribe(session, channel)) {
                events.unsubscribe(session, channel);
            }
        }
        succeeded.increment();
        return reply;
    }

    /** Requests answered successfully so far, whatever the number of channels in each. */
    long succeeded() {
        return succeeded.sum();
    }
}
