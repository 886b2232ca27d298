package io.bayeuxd.bench.loadgen;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cookies of one simulated browser. Each client session has its own jar, shared by its links, so
 * that a server which tracks browsers by cookie (CometD's {@code BAYEUX_BROWSER}) sees one browser
 * per client, as it would in production. Used only on the session's event loop.
 */
public final class CookieJar {

    private final Map<String, Cookie> cookies = new LinkedHashMap<>();

    /** Stores the cookies of every {@code Set-Cookie} header of a response. */
    void store(HttpHeaders responseHeaders) {
        List<String> setCookies = responseHeaders.getAll(HttpHeaderNames.SET_COOKIE);
        for (int i = 0; i < setCookies.size(); i++) {
            Cookie cookie = ClientCookieDecoder.LAX.decode(setCookies.get(i));
            if (cookie != null) {
                cookies.put(cookie.name(), cookie);
            }
        }
    }

    /** Adds a {@code Cookie} header to a request when the jar is not empty. */
    void addTo(HttpHeaders requestHeaders) {
        if (!cookies.isEmpty()) {
            requestHeaders.set(HttpHeaderNames.COOKIE, ClientCookieEncoder.LAX.encode(cookies.values()));
        }
    }

    public void clear() {
        cookies.clear();
    }
}
