package io.bayeuxd.server;

import io.bayeuxd.server.LoadBalancerHarness.Broker;
import io.bayeuxd.server.LoadBalancerHarness.Cluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoadBalancerIT}'s scenario behind nginx, configured as in {@code docs/operations.md}: an
 * upstream of both brokers with {@code ip_hash}, WebSocket upgrade headers, passive health
 * ({@code max_fails}, {@code fail_timeout}, {@code proxy_next_upstream}). nginx runs in the foreground with
 * every file it writes in a temporary directory, listening on 127.0.0.1 only.
 *
 * <p>What it checks: every client reaches a broker over WebSocket through nginx (the upgrade headers
 * work); {@code ip_hash} keeps all of a client address's requests on one node, so the clients, which all
 * come from 127.0.0.1, are all on one node and none on the other; that node, drained with SIGTERM, exits
 * within its drain timeout; every client then receives messages published after the drain, through nginx,
 * from the other node. Unlike {@link LoadBalancerIT} it cannot show clients spread over both nodes.
 *
 * <p>What it does not isolate: nginx's defaults ({@code max_fails=1}, {@code proxy_next_upstream error
 * timeout}) would pass the drained node's refused connections on to the other node as well; the test
 * shows the documented settings work, not that each is needed. The long read timeout is not exercised
 * either (the brokers' Bayeux timeout here is 10 s).
 */
class NginxLoadBalancerIT extends AbstractLoadBalancerIT {
    @Test
    void clientsFollowNginxWhenTheirBrokerDrains() throws Exception {
        LoadBalancerHarness.assumeAvailable("nginx", "-v");

        Cluster cluster = lb.startCluster((port, brokerA, brokerB) -> {
            Path prefix = Files.createDirectories(logs.resolve("nginx"));
            Path conf = Files.writeString(prefix.resolve("nginx.conf"), nginxConfig(port, brokerA, brokerB));
            return new ProcessBuilder("nginx", "-p", prefix + "/", "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stderr.log").toFile());
        });
        Broker a = cluster.a();
        Broker b = cluster.b();
        Broker held = lb.sessions(a) > 0 ? a : b;
        Broker other = held == a ? b : a;
        assertThat(lb.sessions(held)).as("sessions on the node 127.0.0.1 hashes to").isEqualTo(LoadBalancerHarness.CLIENTS);
        assertThat(lb.sessions(other)).as("sessions on the other node").isZero();
        assertThat(lb.webSockets(held)).as("WebSocket connections through nginx").isGreaterThanOrEqualTo(LoadBalancerHarness.CLIENTS);

        lb.drain(held);   // its listener closes at once: nginx's next connection to it is refused and passed on
        cluster.clients().awaitRecoveryAfterDrain();
        assertThat(other.process().isAlive()).isTrue();
    }

    /**
     * The example of {@code docs/operations.md} (from {@code map} to the end), ports filled in, inside
     * what running from a temporary directory needs: the pid, logs and temporary files there, and workers
     * as root, which can write there (the directory is the test user's, and nginx's default worker user
     * is {@code nobody}); a master not running as root ignores {@code user} with a warning.
     */
    private static String nginxConfig(int lb, int a, int b) {
        return """
                user root;
                worker_processes 1;
                pid nginx.pid;
                error_log error.log;
                events {
                    worker_connections 256;
                }
                http {
                    access_log access.log;
                    client_body_temp_path client_body_temp;
                    proxy_temp_path proxy_temp;
                    fastcgi_temp_path fastcgi_temp;
                    uwsgi_temp_path uwsgi_temp;
                    scgi_temp_path scgi_temp;

                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    upstream bayeuxd {
                        ip_hash;
                        server 127.0.0.1:%d max_fails=1 fail_timeout=10s;
                        server 127.0.0.1:%d max_fails=1 fail_timeout=10s;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://bayeuxd;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_connect_timeout 2s;
                            proxy_read_timeout 120s;
                            proxy_send_timeout 120s;
                            proxy_buffering off;
                            proxy_next_upstream error timeout;
                        }
                    }
                }
                """.formatted(a, b, lb);
    }
}
