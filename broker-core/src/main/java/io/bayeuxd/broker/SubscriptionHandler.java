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
    private final boolean subscribe;
    private final LongAdder succeeded = new LongAdder();

    SubscriptionHandler(Engine engine, boolean subscribe) {
        this.engine = engine;
        this.subscribe = subscribe;
    }

    Message handle(Message request) {
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
            if (!ChannelName.isValid(channel)) {
                return Replies.fail(reply, BayeuxError.channelInvalid(channel));
            }
            if (!session.isLocal() && !ChannelName.isSubscribable(channel)) {
                return Replies.fail(reply, BayeuxError.channelForbidden(channel));
            }
            if (subscribe) {
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
