package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerUrlTest {

    @Test
    void splitsTheUrlForLinksAndOtherPaths() {
        ServerUrl server = ServerUrl.of(URI.create("http://127.0.0.1:8080/cometd"));

        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isEqualTo(8080);
        assertThat(server.path()).isEqualTo("/cometd");
        assertThat(server.hostHeader()).isEqualTo("127.0.0.1:8080");
        assertThat(server.webSocketUri()).hasToString("ws://127.0.0.1:8080/cometd");
        assertThat(server.resolve("/metrics")).hasToString("http://127.0.0.1:8080/metrics");
    }

    @Test
    void acceptsAWebSocketUrlAndAnEmptyPath() {
        ServerUrl server = ServerUrl.of(URI.create("ws://localhost:8000"));

        assertThat(server.uri()).hasToString("http://localhost:8000");
        assertThat(server.path()).isEqualTo("/");
        assertThat(ServerUrl.of(URI.create("http://localhost/")).port()).isEqualTo(80);
    }

    @Test
    void acceptsIpv6LoopbackAndConnectsWithoutTheBrackets() {
        ServerUrl server = ServerUrl.of(URI.create("http://[::1]:8000/x"));

        assertThat(server.host()).isEqualTo("::1");
        assertThat(server.hostHeader()).isEqualTo("[::1]:8000");
        assertThat(server.webSocketUri()).hasToString("ws://[::1]:8000/x");
    }

    @Test
    void refusesTargetsOffThisMachine() {
        // Documentation-range literals: nothing is resolved or contacted.
        assertThatThrownBy(() -> ServerUrl.of(URI.create("http://192.0.2.10:8000/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> ServerUrl.of(URI.create("http://[2001:db8::1]:8000/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> ServerUrl.of(URI.create("https://127.0.0.1/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> ServerUrl.of(URI.create("http:/no-host")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }
}
