package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.engine.Engine;
import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/channels}: every channel and pattern that sessions of this node subscribe to, with how
 * many, sorted by name: {@code {"channels": [{"channel": "/chat/*", "subscribers": 2}, ...]}}. In-process
 * clients count as subscribers too. Read from the subscription index without a lock, so it never holds up
 * a publish or a subscribe.
 */
final class ChannelsEndpoint implements ApiEndpoint {
    private final Engine engine;

    ChannelsEndpoint(Engine engine) {
        this.engine = engine;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        List<Subscribed> channels = new ArrayList<>();
        engine.forEachSubscribed((channel, subscribers) -> channels.add(new Subscribed(channel, subscribers)));
        channels.sort(Comparator.comparing(Subscribed::channel));
        return ApiResponse.ok(Map.of("channels", channels));
    }

    /** The nodes' answers as one: each channel once, with the sum of its subscribers on every node. */
    static ObjectNode merge(List<JsonNode> bodies) {
        Map<String, Integer> sums = new TreeMap<>();
        for (JsonNode body : bodies) {
            for (JsonNode c : body.path("channels")) {
                sums.merge(c.path("channel").asText(), c.path("subscribers").asInt(), Integer::sum);
            }
        }
        ObjectNode merged = ApiJson.MAPPER.createObjectNode();
        ArrayNode channels = merged.putArray("channels");
        sums.forEach((channel, n) -> channels.addObject().put("channel", channel).put("subscribers", n));
        return merged;
    }

    /** One entry of the answer. */
    record Subscribed(String channel, int subscribers) {
    }
}
