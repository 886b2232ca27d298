package io.bayeuxd.transport.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The client's address as limits and logs should see it. Behind a trusted proxy that is the nearest
 * untrusted address in {@code Forwarded: for=} or {@code X-Forwarded-For}, read from the right, since
 * everything left of the last trusted hop could have been written by the client itself.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static SocketAddress resolve(SocketAddress peer, HttpHeaders headers, List<String> trustedProxies) {
        if (trustedProxies.isEmpty() || !(peer instanceof InetSocketAddress inet) || !trusted(inet.getAddress(), trustedProxies)) {
            return peer;
        }
        List<String> hops = headers.getAll("Forwarded").isEmpty() ? xForwardedFor(headers) : forwarded(headers);
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress address = literal(hops.get(i));
            if (address == null) {
                return peer;
            }
            if (!trusted(address, trustedProxies)) {
                return new InetSocketAddress(address, 0);
            }
        }
        return peer;
    }

    private static List<String> xForwardedFor(HttpHeaders headers) {
        return headers.getAll("X-Forwarded-For").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> forwarded(HttpHeaders headers) {
        return headers.getAll("Forwarded").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(element -> {
                    for (String pair : element.split(";")) {
                        String p = pair.trim();
                        if (p.regionMatches(true, 0, "for=", 0, 4)) {
                            return p.substring(4).replace("\"", "");
                        }
                    }
                    return "";
                })
                .filter(s -> !s.isEmpty()).toList();
    }

    /** An IP literal, with an optional port or IPv6 brackets; never a DNS lookup. */
    private static InetAddress literal(String hop) {
        String h = hop;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(1, end);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') > 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean trusted(InetAddress address, List<String> trustedProxies) {
        for (String t : trustedProxies) {
            InetAddress proxy = literal(t);
            if (proxy != null && proxy.equals(address)) {
                return true;
            }
        }
        return false;
    }
}
