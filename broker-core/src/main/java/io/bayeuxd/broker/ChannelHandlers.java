package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;

/** The handler of each meta channel, and the publish handler for every other channel. */
record ChannelHandlers(HandshakeHandler handshake, ConnectHandler connect, SubscriptionHandler subscribe,
                       SubscriptionHandler unsubscribe, DisconnectHandler disconnect, PublishHandler publish) {

    /**
     * Handles {@code message}, past its incoming extensions and its security decision, and returns the
     * reply; a message an incoming extension failed is only answered with its error.
     *
     * @param batched whether the request holds other messages (a connect among them is answered at once, not held)
     */
    Message handle(Message message, RequestContext context, BatchResult result, boolean batched, long now) {
        if (message.error() != null) {
            return Replies.to(message);
        }
        String channel = message.channel();
        if (!ChannelName.isMeta(channel)) {
            return publish.handle(message, context, now);
        }
        switch (channel) {
            case MetaChannels.HANDSHAKE:
                return handshake.handle(message, context, now);
            case MetaChannels.CONNECT:
                return connect.handle(message, result, batched, now);
            case MetaChannels.SUBSCRIBE:
                return subscribe.handle(message, context, now);
            case MetaChannels.UNSUBSCRIBE:
                return unsubscribe.handle(message, context, now);
            case MetaChannels.DISCONNECT:
                return disconnect.handle(message);
            default:
                return Replies.fail(Replies.to(message), BayeuxError.channelForbidden(channel));
        }
    }
}
