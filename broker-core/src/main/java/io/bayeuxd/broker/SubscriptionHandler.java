package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /meta/subscribe} and {@code /meta/unsubscribe}, which Faye validates identically: remote
 * clients may not (un)subscribe to {@code /meta/**} or {@code /service/**}; channels are processed in
 * order up to the first bad one.
 */
final class SubscriptionHandler {
    private final Engine engine;
    private final AccessGate gate;
    private final Limits limits;
    private final boolean subscribe;
    private final LongAdder succeeded = new LongAdder();

    SubscriptionHandler(Engine engine, AccessGate gate, Limits limits, boolean subscribe) {
        this.engine = engine;
        this.gate = gate;
        this.limits = limits;
        this.subscribe = subscribe;
    }

    Message handle(Message request, RequestContext context) {
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
        for (String channel : channels) {
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
                if (!gate.subscribe(session, channel, request, context)) {
                    return Replies.fail(reply, BayeuxError.channelForbidden(channel));
                }
                engine.subscribe(session, channel);
            } else {
                engine.unsubscribe(session, channel);
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
