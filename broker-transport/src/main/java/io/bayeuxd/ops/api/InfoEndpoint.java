package io.bayeuxd.ops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.engine.Engine;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code GET /api/info}: which node answers and what it holds now, all of it this node's alone:
 * {@code {"node": "web-1", "version": "0.1.0", "engine": "memory", "sessions": 3, "channels": 2,
 * "subscriptions": 4, "connections": 5}}, and with a cluster, {@code nodeToken}, the prefix of the client
 * ids of this node's sessions.
 */
public final class InfoEndpoint implements ApiEndpoint {
    private final Node node;
    private final Engine engine;
    private final IntSupplier connections;

    /**
     * @param node        what does not change while the server runs
     * @param engine      where sessions and subscriptions are counted
     * @param connections the open connections of the traffic port
     */
    InfoEndpoint(Node node, Engine engine, IntSupplier connections) {
        this.node = node;
        this.engine = engine;
        this.connections = connections;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public ApiResponse handle(JsonNode body) {
        return ApiResponse.ok(new Info(node.name(), node.token(), node.version(), node.engine(), engine.sessionCount(),
                engine.channelCount(), engine.subscriptionCount(), connections.getAsInt()));
    }

    /**
     * The nodes' answers as one: this node's identity, the counts summed over every node, and each
     * node's own answer under {@code "nodes"}, this node's first.
     */
    static ObjectNode merge(List<JsonNode> bodies) {
        ObjectNode merged = bodies.get(0).deepCopy();
        for (String count : new String[] {"sessions", "channels", "subscriptions", "connections"}) {
            long sum = 0;
            for (JsonNode body : bodies) {
                sum += body.path(count).asLong();
            }
            merged.put(count, sum);
        }
        merged.putArray("nodes").addAll(bodies);
        return merged;
    }

    /**
     * The node's identity.
     *
     * @param name    the host name, or what the operator calls it
     * @param token   the cluster's token of this node, or {@code null} for a node alone
     * @param version the broker's version
     * @param engine  {@code memory} or {@code redis}
     */
    public record Node(String name, String token, String version, String engine) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Info(String node, String nodeToken, String version, String engine, int sessions, int channels, int subscriptions,
                int connections) {
    }
}
