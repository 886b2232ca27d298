package io.bayeuxd.transport.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    private static final SocketAddress PROXY = new InetSocketAddress("10.0.0.1", 5555);

    private static String resolve(SocketAddress peer, List<String> trusted, String name, String value) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (name != null) {
            h.add(name, value);
        }
        return ((InetSocketAddress) ClientAddress.resolve(peer, h, trusted)).getAddress().getHostAddress();
    }

    @Test
    void forwardedHeadersCountOnlyFromTrustedProxies() {
        assertThat(resolve(PROXY, List.of(), "X-Forwarded-For", "1.2.3.4")).isEqualTo("10.0.0.1");
        assertThat(resolve(PROXY, List.of("10.0.0.9"), "X-Forwarded-For", "1.2.3.4")).isEqualTo("10.0.0.1");
        assertThat(resolve(PROXY, List.of("10.0.0.1"), "X-Forwarded-For", "1.2.3.4")).isEqualTo("1.2.3.4");
    }

    @Test
    void theRightmostUntrustedHopWinsSoClientsCannotSpoofIt() {
        assertThat(resolve(PROXY, List.of("10.0.0.1", "10.0.0.2"), "X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.2")).isEqualTo("1.2.3.4");
        assertThat(resolve(PROXY, List.of("10.0.0.1"), "Forwarded", "for=6.6.6.6, for=\"[2001:db8::1]:4711\"")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(resolve(PROXY, List.of("10.0.0.1"), "X-Forwarded-For", "1.2.3.4:999")).isEqualTo("1.2.3.4");
    }

    @Test
    void garbageFallsBackToThePeer() {
        assertThat(resolve(PROXY, List.of("10.0.0.1"), "X-Forwarded-For", "evil.example")).isEqualTo("10.0.0.1");
        assertThat(resolve(PROXY, List.of("10.0.0.1"), null, null)).isEqualTo("10.0.0.1");
    }
}
