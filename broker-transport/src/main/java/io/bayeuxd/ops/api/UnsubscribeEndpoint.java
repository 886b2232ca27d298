package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.session.Session;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * {@code POST /api/unsubscribe} with {@code {"clientId": "...", "channel": "/x"}}: the client of this node
 * stops receiving what is published on {@code /x} (a name or a pattern, as it subscribed). Its client is
 * not told: Faye's and CometD's clients have no message for it. 404 when no client has that id here, or
 * it is not subscribed to that channel.
 */
final class UnsubscribeEndpoint implements ApiEndpoint {
    private final Broker broker;

    UnsubscribeEndpoint(Broker broker) {
        this.broker = broker;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        String clientId = text(body, "clientId");
        String channel = text(body, "channel");
        if (body.size() > 2) {
            throw ApiException.badRequest("only clientId and channel are expected");
        }
        if (!ChannelName.isValid(channel)) {
            throw ApiException.badRequest("not a channel or pattern: " + channel);
        }
        Session session = broker.engine().session(clientId);
        if (session == null || session.isLocal()) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no client with this clientId on this node");
        }
        if (!broker.unsubscribe(session, channel)) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "the client is not subscribed to this channel");
        }
        return ApiResponse.ok(Map.of("unsubscribed", clientId, "channel", channel));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.isObject() ? body.get(field) : null;
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw ApiException.badRequest(field + " is required, as a string");
        }
        return n.textValue();
    }
}
