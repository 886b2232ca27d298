package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.api.Presence;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.channel.ChannelName;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/presence?channel=/x}: the clients of this node subscribed to {@code /x}, oldest
 * subscription first: {@code {"channel": "/x", "clients": [{"clientId": "...", "user": "alice",
 * "since": "2030-01-01T00:00:00Z"}]}}. {@code user} is the session's principal's name ({@code null}
 * without one); a pattern is taken as it is, so {@code /chat/*} lists the subscribers of that pattern.
 * The server's in-process clients are not listed.
 */
final class PresenceEndpoint implements ApiEndpoint {
    private final Broker broker;

    PresenceEndpoint(Broker broker) {
        this.broker = broker;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        return handle(body, Map.of());
    }

    @Override
    public ApiResponse handle(JsonNode body, Map<String, List<String>> query) {
        List<String> channels = query.getOrDefault("channel", List.of());
        if (channels.size() != 1) {
            throw ApiException.badRequest("give one channel: /api/presence?channel=/x");
        }
        String channel = channels.get(0);
        if (!ChannelName.isValid(channel)) {
            throw ApiException.badRequest("not a channel or pattern: " + channel);
        }
        List<Map<String, Object>> clients = new ArrayList<>();
        for (Presence p : broker.presence(channel)) {
            // A map, not the record: a client without a user shows "user": null rather than no field.
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("clientId", p.clientId());
            client.put("user", p.user());
            client.put("since", p.since().toString());
            clients.add(client);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", channel);
        answer.put("clients", clients);
        return ApiResponse.ok(answer);
    }

    /** The nodes' answers as one: every node's clients, oldest subscription first, as on one node. */
    static ObjectNode merge(List<JsonNode> bodies) {
        List<JsonNode> clients = new ArrayList<>();
        for (JsonNode body : bodies) {
            body.path("clients").forEach(clients::add);
        }
        // By instant, not by text: ISO-8601 leaves out a zero fraction, so the texts do not sort.
        clients.sort(Comparator.comparing((JsonNode c) -> Instant.parse(c.path("since").asText()))
                .thenComparing(c -> c.path("clientId").asText()));
        ObjectNode merged = ApiJson.MAPPER.createObjectNode();
        merged.put("channel", bodies.get(0).path("channel").asText());
        merged.putArray("clients").addAll(clients);
        return merged;
    }
}
