package io.bayeuxd.server;

import io.bayeuxd.server.LoadBalancerHarness.Broker;
import io.bayeuxd.server.LoadBalancerHarness.Cluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two broker processes behind a real HAProxy (round robin, WebSocket upgrade, health checks on
 * {@code /readyz}, a cookie to keep each client on its node, even while its {@code /readyz} is 503 unless
 * it refuses connections) configured as in {@code docs/operations.md}.
 * Faye Node clients connect through it over WebSocket; one broker is drained with SIGTERM; the clients on
 * it reconnect through the balancer to the other node and receive messages again.
 *
 * <p>What it checks: clients are spread over both nodes; the drained node exits within its drain
 * timeout (its readiness turning 503 is {@code BrokerServerDrainTest}'s); every client then receives
 * messages published after the drain. Messages do not cross nodes (there is no shared engine yet), so the
 * script publishes each message to both nodes directly; what the test shows is the clients' path back
 * through the balancer. {@link NginxLoadBalancerIT} runs the same scenario behind nginx.
 */
class LoadBalancerIT extends AbstractLoadBalancerIT {
    @Test
    void clientsFollowTheBalancerWhenABrokerDrains() throws Exception {
        LoadBalancerHarness.assumeAvailable("haproxy", "-v");

        Cluster cluster = lb.startCluster((port, brokerA, brokerB) -> haproxy(logs, port, brokerA, brokerB));
        Broker a = cluster.a();
        Broker b = cluster.b();
        assertThat(lb.sessions(a)).as("sessions on node A").isPositive();
        assertThat(lb.sessions(b)).as("sessions on node B").isPositive();

        lb.drain(a);   // its listener closes at once, so HAProxy's next check marks it down
        cluster.clients().awaitRecoveryAfterDrain();
        assertThat(b.process().isAlive()).isTrue();
    }

    /**
     * The configuration the balancer tests run is the one {@code docs/operations.md} shows: its block from
     * {@code defaults} on, without the comments, is {@link #haproxyConfig} for the ports written there
     * (less the {@code global} section, which only raises the connection limit for the tests).
     */
    @Test
    void theDocsShowTheConfigurationTheTestsRun() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "operations.md"));
        int from = docs.indexOf("\ndefaults\n") + 1;
        String shown = docs.substring(from, docs.indexOf("```", from)).replaceAll("(?m)[ \\t]*#.*$", "");
        String run = haproxyConfig(8080, 8001, 8002);
        assertThat(shown).isEqualTo(run.substring(run.indexOf("defaults\n")));
    }

    /** HAProxy in the foreground with {@link #haproxyConfig}, its configuration and output in {@code dir}. */
    static ProcessBuilder haproxy(Path dir, int listen, int... brokers) throws IOException {
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(listen, brokers));
        return new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile());
    }

    /**
     * The configuration of {@code docs/operations.md}, ports filled in: one server per broker, named (and
     * cookie-valued) {@code a}, {@code b}, {@code c}... in order.
     */
    static String haproxyConfig(int listen, int... brokers) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < brokers.length; i++) {
            char name = (char) ('a' + i);
            servers.append("    server %c 127.0.0.1:%d check cookie %c%n".formatted(name, brokers[i], name));
        }
        return """
                global
                    maxconn 2048
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout tunnel 120s
                frontend bayeux
                    bind 127.0.0.1:%d
                    default_backend brokers
                backend brokers
                    balance roundrobin
                    option httpchk GET /readyz
                    http-check expect status 200
                    cookie BAYEUXD insert indirect nocache
                    option persist
                    option redispatch
                    default-server inter 300ms fall 1 rise 2
                """.formatted(listen) + servers;
    }
}
