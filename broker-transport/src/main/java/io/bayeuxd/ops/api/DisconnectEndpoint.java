package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.session.Session;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/disconnect} with {@code {"clientId": "..."}}: ends that client's session on this node as
 * the server ends one (an expiry, a slow consumer): its subscriptions go, what was queued for it is
 * dropped, and a connect it holds is answered with {@code advice: {reconnect: "handshake"}}. 404 when no
 * client has that id here; the server's own in-process clients cannot be ended this way. With
 * {@code {"user": "..."}} instead, ends every session of that user here (none is not an error).
 * Listeners hear {@link DisconnectReason#API}.
 */
final class DisconnectEndpoint implements ApiEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DisconnectEndpoint.class);

    private final Broker broker;

    DisconnectEndpoint(Broker broker) {
        this.broker = broker;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        JsonNode user = body.isObject() ? body.get("user") : null;
        if (user != null) {
            if (!user.isTextual() || user.textValue().isEmpty() || body.size() > 1) {
                throw ApiException.badRequest("give either clientId or user, as a string");
            }
            List<String> ended = broker.endSessionsOf(user.textValue(), DisconnectReason.API);
            if (!ended.isEmpty()) {
                // Not for none: in a cluster every node is asked, and most have none.
                log.info("{} sessions of a user ended through the API", ended.size());
            }
            return ApiResponse.ok(Map.of("user", user.textValue(), "disconnected", ended));
        }
        JsonNode id = body.isObject() ? body.get("clientId") : null;
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw ApiException.badRequest("clientId or user is required, as a string");
        }
        if (body.size() > 1) {
            throw ApiException.badRequest("only clientId is expected");
        }
        String clientId = id.textValue();
        Session session = broker.engine().session(clientId);
        if (session == null || session.isLocal() || !broker.endSession(session, DisconnectReason.API)) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no client with this clientId on this node");
        }
        log.info("Session {} ended through the API", clientId);
        return ApiResponse.ok(Map.of("disconnected", clientId));
    }

    /** The nodes' answers to a user's disconnect as one: every session ended on any node. */
    static ObjectNode mergeUser(List<JsonNode> bodies) {
        ObjectNode merged = ApiJson.MAPPER.createObjectNode();
        merged.put("user", bodies.get(0).path("user").asText());
        ArrayNode ended = merged.putArray("disconnected");
        for (JsonNode body : bodies) {
            body.path("disconnected").forEach(ended::add);
        }
        return merged;
    }
}
