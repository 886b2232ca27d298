package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An endpoint whose answer covers every node of a cluster: this node answers the call with its
 * node-local endpoint (so a refused call is refused before any other node is asked), asks every other
 * node the same ({@link NodeQueries#askAll}), and merges the answers. When some node did not answer in
 * time the answer says so: {@code "partial": true}, and {@code "missingNodes": N} when N is known.
 */
final class ClusterWideEndpoint extends ClusteredEndpoint {
    /** Merges the bodies of the nodes' answers, this node's first, into one. */
    interface Merge {
        ObjectNode merge(List<JsonNode> bodies);
    }

    private final Merge merge;

    ClusterWideEndpoint(String path, ApiEndpoint local, NodeQueries nodes, Merge merge) {
        super(path, local, nodes);
        this.merge = merge;
    }

    @Override
    public CompletionStage<ApiResponse> respond(JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
        ApiResponse mine = local.handle(body, query);
        return nodes.askAll(path, body, query, loop).thenApply(gathered -> {
            List<JsonNode> bodies = new ArrayList<>();
            bodies.add(ApiJson.MAPPER.valueToTree(mine.body()));
            int refused = 0;
            for (JsonNode answer : gathered.answers()) {
                if (answer.path("status").asInt() == 200) {
                    bodies.add(answer.get("body"));
                } else {
                    // A node that refuses what this one accepted runs another version: its part is missing.
                    refused++;
                }
            }
            ObjectNode merged = merge.merge(bodies);
            if (gathered.missing() != 0 || refused > 0) {
                merged.put("partial", true);
                if (gathered.missing() >= 0) {
                    merged.put("missingNodes", gathered.missing() + refused);
                }
            }
            return ApiResponse.ok(merged);
        });
    }
}
