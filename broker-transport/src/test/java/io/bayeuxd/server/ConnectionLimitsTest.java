package io.bayeuxd.server;

import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connection caps answer 503 and close; idle connections are closed so descriptors are not leaked. */
class ConnectionLimitsTest {
    @Test
    void connectionsOverThePerAddressCapGet503() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .maxConnectionsPerAddress(2).build()).start();
             Socket a = new Socket("127.0.0.1", server.port());
             Socket b = new Socket("127.0.0.1", server.port())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionLimiter().openConnections() == 2);
            try (Socket c = new Socket("127.0.0.1", server.port())) {
                c.setSoTimeout(10_000);
                String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 503").contains("\r\nRetry-After: 5\r\n").endsWith("Too many connections");
            }
            assertThat(server.connectionLimiter().refusedConnections()).isEqualTo(1);
            assertThat(server.connectionLimiter().refusedOverAddressCap()).isEqualTo(1);
            assertThat(server.connectionLimiter().refusedOverTotalCap()).isZero();
            a.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionLimiter().openConnections() == 1);
            try (Socket d = new Socket("127.0.0.1", server.port())) {
                d.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                d.setSoTimeout(10_000);
                assertThat(new String(d.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void connectionsOverTheTotalCapGet503AreCountedInTheMetricsAndTheManagementPortStillAnswers() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .maxConnections(1).managementPort(0).build()).start();
             Socket held = new Socket("127.0.0.1", server.port())) {
            assertThat(server.connectionCap().maxConnections()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionLimiter().openConnections() == 1);
            for (int i = 0; i < 2; i++) {
                try (Socket over = new Socket("127.0.0.1", server.port())) {
                    over.setSoTimeout(10_000);
                    assertThat(new String(over.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .startsWith("HTTP/1.1 503").contains("Retry-After: 5");
                }
            }
            assertThat(get(server.managementPort(), "/healthz")).startsWith("HTTP/1.1 200");
            Scrape scrape = Scrape.parse(body(get(server.managementPort(), "/metrics")));
            assertThat(scrape.get("bayeux_connections_refused_total{reason=\"max_connections\"}")).isEqualTo(2.0);
            assertThat(scrape.get("bayeux_connections_refused_total{reason=\"max_connections_per_address\"}")).isZero();
            assertThat(scrape.get("bayeux_connections_max")).isEqualTo(1.0);
            assertThat(scrape.get("bayeux_accept_failures_total{reason=\"file_limit\"}")).isZero();
        }
    }

    @Test
    void unsetTheCapComesFromTheOpenFileLimit() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build()).start()) {
            ConnectionCap cap = server.connectionCap();
            assertThat(cap).isEqualTo(ConnectionCap.of(ConnectionCap.AUTO, cap.fileLimit(), cap.openAtStart()));
            assertThat(server.connectionLimiter().maxConnections()).isEqualTo(cap.maxConnections());
        }
    }

    private static String get(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void silentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportConfig.builder().idleTimeoutMs(300).build()).build()).start();
             Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
            silent.setSoTimeout(10_000);
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
        }
    }
}
