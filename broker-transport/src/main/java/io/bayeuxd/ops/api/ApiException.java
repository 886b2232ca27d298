package io.bayeuxd.ops.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses, with the status and the message its client gets. An expected outcome, not a
 * fault: it carries no stack trace, and none is logged.
 */
final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;

    ApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A 400 Bad Request. */
    static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    HttpResponseStatus status() {
        return status;
    }

    ApiResponse response() {
        return ApiResponse.error(status, getMessage());
    }
}
