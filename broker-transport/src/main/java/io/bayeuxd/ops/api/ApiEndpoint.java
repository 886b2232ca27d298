package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One path of the API. {@link ApiHttpHandler} has checked the key and the method, and for a method with a
 * body, that the body is JSON, before it calls {@link #handle}. Runs on the connection's event loop: it must
 * not block.
 */
public interface ApiEndpoint {
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
}
