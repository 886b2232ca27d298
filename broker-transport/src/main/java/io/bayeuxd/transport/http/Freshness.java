package io.bayeuxd.transport.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Date;

/**
 * The validators of one served file, its {@code ETag} and {@code Last-Modified}, and whether a conditional
 * {@code GET} names the version the client already has (then it gets 304). Shared by Faye's client scripts,
 * the files bundled in the jar and the {@code --static} directory, so that all three cache alike.
 */
final class Freshness {
    private final String etag;
    /** HTTP dates have whole seconds; -1 when the file has no date to give (then only the ETag counts). */
    private final long lastModifiedSeconds;
    private final String lastModifiedHeader;

    /** @param etag quoted, as sent; {@code lastModifiedMillis} negative for none */
    Freshness(String etag, long lastModifiedMillis) {
        this.etag = etag;
        this.lastModifiedSeconds = lastModifiedMillis < 0 ? -1 : lastModifiedMillis / 1000;
        this.lastModifiedHeader = lastModifiedMillis < 0 ? null : DateFormatter.format(new Date(lastModifiedSeconds * 1000));
    }

    /** Whether the client's copy is current: by ETag when it sent one, else by date. */
    boolean isFresh(HttpHeaders request) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            // Faye sends its digest unquoted; accept either form, and lists.
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals(etag.substring(1, etag.length() - 1))) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null && lastModifiedSeconds >= 0) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            return since != null && lastModifiedSeconds <= since.getTime() / 1000;
        }
        return false;
    }

    /** Sets the validators on a response: on a 200 and on a 304 alike. */
    void addTo(HttpHeaders response) {
        response.set(HttpHeaderNames.ETAG, etag);
        if (lastModifiedHeader != null) {
            response.set(HttpHeaderNames.LAST_MODIFIED, lastModifiedHeader);
        }
    }
}
