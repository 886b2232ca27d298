package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One path of the API. {@link ApiHttpHandler} has checked the key and the method, and for a method with a
 * body, that the body is JSON, before it calls {@link #handle}. Runs on the connection's event loop: it must
 * not block.
 */
interface ApiEndpoint {
    /** The one method this path answers; any other gets 405. */
    HttpMethod method();

    /**
     * Answers a call.
     *
     * @param body the parsed request body, or {@code null} for a method without one
     * @throws ApiException for a request it refuses
     */
    ApiResponse handle(JsonNode body);

    /**
     * Answers a call with the parameters of its query string (decoded); an endpoint that takes none
     * ignores them.
     */
    default ApiResponse handle(JsonNode body, Map<String, List<String>> query) {
        return handle(body);
    }

    /**
     * Answers a call, now or later: what {@link ApiHttpHandler} calls. An endpoint that asks other nodes
     * of a cluster answers once they have (each wait bounded); the others answer at once with
     * {@link #handle(JsonNode, Map)}. A refusal may be thrown as an {@link ApiException} or complete the
     * stage with one.
     *
     * @param loop the event loop of the call's connection, where a wait may be timed
     */
    default CompletionStage<ApiResponse> respond(JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
        return CompletableFuture.completedFuture(handle(body, query));
    }
}
