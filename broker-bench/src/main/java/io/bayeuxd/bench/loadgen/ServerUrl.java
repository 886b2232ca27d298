package io.bayeuxd.bench.loadgen;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import static io.bayeuxd.bench.loadgen.Settings.check;

/**
 * The server the load generator or the soak drives: an {@code http://} URL on a loopback address,
 * and the parts links need from it. Both tools run beside the server on one machine; refusing any
 * other host keeps a typo from loading (or sending garbage to) a host that did not ask for it.
 */
public final class ServerUrl {

    private final URI url;

    private ServerUrl(URI url) {
        this.url = url;
    }

    /**
     * Checks {@code url} and normalizes {@code ws://} to {@code http://}.
     *
     * @throws IllegalArgumentException when it is not http:// or ws://, has no host, or the host is not loopback
     */
    public static ServerUrl of(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        check(url.getHost() != null, "url needs a host: " + url);
        URI http;
        switch (scheme) {
            case "http":
                http = url;
                break;
            case "ws":
                http = URI.create("http://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath()));
                break;
            default:
                throw new IllegalArgumentException("url must be http:// or ws:// (TLS is not supported): " + url);
        }
        ServerUrl server = new ServerUrl(http);
        server.requireLoopback();
        return server;
    }

    private void requireLoopback() {
        try {
            for (InetAddress address : InetAddress.getAllByName(host())) {
                check(address.isLoopbackAddress(),
                        "url host must be a loopback address, got " + url.getHost() + " -> " + address);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + url.getHost(), e);
        }
    }

    /** The URL as given, normalized to http. */
    public URI uri() {
        return url;
    }

    /** Host to connect to, without the brackets of an IPv6 literal. */
    public String host() {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** Request path for long-polling POSTs and the WebSocket upgrade. */
    public String path() {
        String path = url.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** Value of the {@code Host} header: {@code host:port}, an IPv6 literal in brackets. */
    public String hostHeader() {
        return url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    }

    public URI webSocketUri() {
        return URI.create("ws://" + hostHeader() + path());
    }

    /** A path on the server's port outside the Bayeux mount, such as an ops endpoint. */
    public URI resolve(String otherPath) {
        return URI.create("http://" + hostHeader() + otherPath);
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
