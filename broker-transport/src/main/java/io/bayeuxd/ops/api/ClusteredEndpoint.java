package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;

/**
 * An endpoint of a cluster that asks other nodes ({@link #respond}) on behalf of its node-local endpoint,
 * whose method it answers and whose answer it gives when called synchronously.
 */
abstract class ClusteredEndpoint implements ApiEndpoint {
    /** The path the other nodes are asked on. */
    final String path;
    final ApiEndpoint local;
    final NodeQueries nodes;

    ClusteredEndpoint(String path, ApiEndpoint local, NodeQueries nodes) {
        this.path = path;
        this.local = local;
        this.nodes = nodes;
    }

    @Override
    public final HttpMethod method() {
        return local.method();
    }

    @Override
    public final ApiResponse handle(JsonNode body) {
        return local.handle(body);
    }
}
