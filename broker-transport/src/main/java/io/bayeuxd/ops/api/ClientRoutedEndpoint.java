package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.session.ClientIdGenerator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An endpoint about one client ({@code "clientId"} in the body) in a cluster: answered by the node that
 * holds the client's session, known from the client id's node token, exactly as that node's own
 * endpoint answers it. A client of a node that is gone is answered here as an unknown client is; one
 * whose node does not answer in time gets 504, and while the cluster is unreachable 503. A body
 * without a client id goes to {@code withoutClient} (a user's sessions, or a refusal).
 */
final class ClientRoutedEndpoint extends ClusteredEndpoint {
    private final ApiEndpoint withoutClient;

    ClientRoutedEndpoint(String path, ApiEndpoint local, ApiEndpoint withoutClient, NodeQueries nodes) {
        super(path, local, nodes);
        this.withoutClient = withoutClient;
    }

    @Override
    public CompletionStage<ApiResponse> respond(JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
        JsonNode id = body != null && body.isObject() ? body.get("clientId") : null;
        if (id == null) {
            return withoutClient.respond(body, query, loop);
        }
        String home = id.isTextual() ? ClientIdGenerator.nodeTokenOf(id.textValue()) : null;
        if (home == null || home.equals(nodes.self())) {
            return local.respond(body, query, loop);
        }
        if (!nodes.reachable()) {
            return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the cluster is unreachable: the client's node cannot be asked"));
        }
        return nodes.askNode(home, path, body, query, loop).thenApply(gathered -> {
            if (!gathered.answers().isEmpty()) {
                JsonNode answer = gathered.answers().get(0);
                return new ApiResponse(HttpResponseStatus.valueOf(answer.path("status").asInt()), answer.get("body"));
            }
            if (gathered.missing() == 0) {
                // Nobody listens for that node: it is gone, and its sessions with it.
                return local.handle(body, query);
            }
            return ApiResponse.error(HttpResponseStatus.GATEWAY_TIMEOUT, "the client's node did not answer in time");
        });
    }
}
