package io.bayeuxd.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/publish}: {@code {"channel": "/x", "data": ...}} or {@code {"channels": [...], "data": ...}},
 * or an array of those for a batch. Each publication goes through the broker as an in-process client's does
 * (the broker's extensions, the fan-out, and with a cluster, the other nodes).
 *
 * <p>An item is checked whole before any of its channels is published: a literal channel name (no
 * wildcard), not {@code /meta/**}, within the broker's length and depth limits, and {@code data} present
 * ({@code null} is a value). A single item answers {@code {"published": N}}, N being its channels; a batch
 * answers {@code {"results": [...]}} with one such object, or {@code {"error": ...}}, per item, and 200 only
 * when every item was published, 400 otherwise.
 */
final class PublishEndpoint implements ApiEndpoint {
    /** How a publication enters the broker: {@code LocalClient::publish}, which returns the broker's reply. */
    @FunctionalInterface
    public interface Publisher {
        Message publish(String channel, JsonValue data);
    }

    private static final Set<String> FIELDS = Set.of("channel", "channels", "data");

    private final Publisher publisher;
    private final int maxChannelLength;
    private final int maxChannelDepth;

    PublishEndpoint(Publisher publisher, BrokerConfig limits) {
        this.publisher = publisher;
        this.maxChannelLength = limits.maxChannelLength();
        this.maxChannelDepth = limits.maxChannelDepth();
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        if (body.isObject()) {
            return ApiResponse.ok(Map.of("published", publish(body)));
        }
        if (!body.isArray()) {
            throw ApiException.badRequest("the body must be a publication object or an array of them");
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest("the batch is empty");
        }
        List<Map<String, Object>> results = new ArrayList<>(body.size());
        boolean allPublished = true;
        for (JsonNode item : body) {
            try {
                results.add(Map.of("published", publish(item)));
            } catch (ApiException e) {
                results.add(Map.of("error", e.getMessage()));
                allPublished = false;
            }
        }
        return new ApiResponse(allPublished ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, Map.of("results", results));
    }

    /** Checks one item, then publishes it to each of its channels; returns how many. */
    private int publish(JsonNode item) {
        if (!item.isObject()) {
            throw ApiException.badRequest("a publication must be a JSON object");
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field \"" + name + "\" (expected channel or channels, and data)");
            }
        }
        List<String> channels = channels(item);
        JsonNode data = item.get("data");
        if (data == null) {
            throw ApiException.badRequest("data is required");
        }
        JsonValue value = toValue(data);
        int published = 0;
        for (String channel : channels) {
            Message reply = publisher.publish(channel, value);
            if (!Boolean.TRUE.equals(reply.successful())) {
                String why = reply.error() == null ? "refused" : reply.error();
                throw ApiException.badRequest(published == 0 ? "the broker refused the publication to " + channel + ": " + why
                        : "published to " + published + " channel(s), then the broker refused " + channel + ": " + why);
            }
            published++;
        }
        return published;
    }

    private List<String> channels(JsonNode item) {
        JsonNode one = item.get("channel");
        JsonNode many = item.get("channels");
        if ((one == null) == (many == null)) {
            throw ApiException.badRequest("give exactly one of channel and channels");
        }
        if (one != null) {
            return List.of(checkedChannel(one));
        }
        if (!many.isArray() || many.isEmpty()) {
            throw ApiException.badRequest("channels must be a non-empty array of channel names");
        }
        // Duplicates are published once: a subscriber of /x gets one copy, as from a client publishing once.
        Map<String, Boolean> distinct = new LinkedHashMap<>();
        for (JsonNode channel : many) {
            distinct.put(checkedChannel(channel), Boolean.TRUE);
        }
        return List.copyOf(distinct.keySet());
    }

    private String checkedChannel(JsonNode node) {
        if (!node.isTextual()) {
            throw ApiException.badRequest("a channel must be a string");
        }
        String channel = node.textValue();
        if (ChannelName.isValidPattern(channel)) {
            throw ApiException.badRequest("cannot publish to a wildcard pattern: " + channel);
        }
        if (!ChannelName.isValidName(channel)) {
            throw ApiException.badRequest("not a valid channel name: " + channel);
        }
        if (ChannelName.isMeta(channel)) {
            throw ApiException.badRequest("cannot publish to a /meta channel: " + channel);
        }
        if (channel.length() > maxChannelLength || ChannelName.depth(channel) > maxChannelDepth) {
            throw ApiException.badRequest("channel name longer or deeper than the broker allows (" + maxChannelLength
                    + " characters, " + maxChannelDepth + " segments)");
        }
        return channel;
    }

    private static JsonValue toValue(JsonNode data) {
        try {
            return JsonValue.ofTrustedBytes(ApiJson.MAPPER.writeValueAsBytes(data));
        } catch (JsonProcessingException e) {
            // A tree Jackson itself parsed always writes back.
            throw new IllegalStateException(e);
        }
    }
}
