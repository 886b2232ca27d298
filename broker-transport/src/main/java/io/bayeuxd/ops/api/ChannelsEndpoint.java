package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.engine.Engine;
import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/channels}: every channel and pattern that sessions of this node subscribe to, with how
 * many, sorted by name: {@code {"channels": [{"channel": "/chat/*", "subscribers": 2}, ...]}}. In-process
 * clients count as subscribers too. Read from the subscription index without a lock, so it never holds up
 * a publish or a subscribe.
 */
public final class ChannelsEndpoint implements ApiEndpoint {
    private final Engine engine;

    public ChannelsEndpoint(Engine engine) {
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

    /** One entry of the answer. */
    record Subscribed(String channel, int subscribers) {
    }
}
