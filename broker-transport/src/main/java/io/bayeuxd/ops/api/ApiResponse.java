package io.bayeuxd.ops.api;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/**
 * What an endpoint answers: a status and a body that Jackson writes as JSON (a map, a list, a record).
 *
 * @param status the HTTP status
 * @param body   the JSON body
 */
record ApiResponse(HttpResponseStatus status, Object body) {
    static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body);
    }

    /** {@code {"error": "..."}} with {@code status}; the message is the client's to read, so it names no secret. */
    static ApiResponse error(HttpResponseStatus status, String message) {
        return new ApiResponse(status, Map.of("error", message));
    }
}
