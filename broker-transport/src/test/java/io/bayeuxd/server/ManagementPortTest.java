package io.bayeuxd.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --management-port}: the operations endpoints on a port of their own, over real sockets.
 * {@code /metrics} moves there; {@code /healthz} and {@code /readyz} stay on the traffic port too, where
 * load balancers check them; a drain shows on both.
 */
class ManagementPortTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BrokerServer server;

    @BeforeEach
    void start() throws Exception {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).managementPort(0).ioThreads(1).build()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsMoveToTheManagementPortAndHealthStaysOnBoth() throws Exception {
        int traffic = server.port();
        int management = server.managementPort();
        assertThat(management).isPositive().isNotEqualTo(traffic);

        HttpResponse<String> metrics = get(management, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("bayeux_sessions");
        assertThat(get(traffic, "/metrics").statusCode()).as("not on the traffic port").isEqualTo(404);

        for (int port : new int[] {traffic, management}) {
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        }
        assertThat(get(management, "/").statusCode()).as("no Bayeux here").isEqualTo(404);
        assertThat(get(management, "/meta/handshake").statusCode()).isEqualTo(404);
    }

    @Test
    void aDrainShowsOnTheManagementPortUntilClose() throws Exception {
        int management = server.managementPort();
        assertThat(server.drain(5_000)).isTrue();
        HttpResponse<String> ready = get(management, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body().strip()).isEqualTo("draining");
        assertThat(get(management, "/metrics").statusCode()).as("still scraped while draining").isEqualTo(200);
    }

    @Test
    void healthIsAnsweredWhileTheClientLoopIsBusy() throws Exception {
        // The one client event loop (ioThreads 1) is stuck, as in a reconnect storm; the management port has its own.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        server.clientEventLoops().next().execute(() -> {
            stuck.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> health = get(server.managementPort(), "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
        }
    }
}
