package io.bayeuxd.interop;

import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.RoundRobinNginx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No sticky sessions: three brokers on one real {@code redis-server} behind nginx doing plain round
 * robin per request (no {@code ip_hash}, no cookie), so a long-polling client's requests land on every
 * node in turn, and a WebSocket client's socket on another node than its handshake, two times in three.
 * The whole Faye Node client suite runs through nginx over each transport, its cluster test with clients
 * on nginx and on the nodes directly; every request or frame for a session another node holds is
 * forwarded there and answered from there. Skipped with a message without node, the suite's packages,
 * {@code redis-server} or nginx.
 */
class RoundRobinPollingTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static final int NODES = 3;
    private static RedisBrokers cluster;
    private static List<BrokerServer> nodes;
    private static Process nginx;
    private static int nginxPort;
    @org.junit.jupiter.api.io.TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("round-robin test");
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: round-robin test skipped");
        Assumptions.assumeTrue(NodeTestRun.toolRuns("nginx", "-v"), "nginx is not installed: round-robin test skipped");
        cluster = RedisBrokers.start(NODES, 5_000);
        nodes = cluster.nodes;
        nginxPort = freePort();
        Path conf = Files.writeString(dir.resolve("nginx.conf"), RoundRobinNginx.config(nginxPort, nodes.stream().map(BrokerServer::port).toList()));
        nginx = new ProcessBuilder("nginx", "-p", dir + "/", "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Awaitility.await("nginx listening").atMost(Duration.ofSeconds(10)).until(() -> accepts(nginxPort));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            // SIGTERM first: nginx's master then stops its workers itself. A master killed outright
            // leaves a worker that forked after our look at its children running on its own.
            List<ProcessHandle> workers = nginx.descendants().toList();
            nginx.destroy();
            if (!nginx.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
                nginx.waitFor();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
            nginx.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"long-polling", "websocket"})
    void clientsKeepTheirSessionsWhileEveryRequestMayLandOnAnotherNode(String transport) throws Exception {
        String balancer = "http://127.0.0.1:" + nginxPort + "/";
        String urls = balancer + "," + nodes.stream().skip(1).map(RedisBrokers::url).collect(Collectors.joining(","));
        long[] forwardedBefore = nodes.stream().mapToLong(n -> n.clusterPolling().forwardedRequests()).toArray();
        NodeTestRun.assertPasses(SUITE, Map.of("BAYEUX_URL", balancer, "BAYEUX_URLS", urls, "BAYEUX_TRANSPORT", transport),
                Duration.ofMinutes(5), "Faye client suite over " + transport + " through round-robin nginx");
        for (int i = 0; i < NODES; i++) {
            // A WebSocket or a polling request that nginx sends elsewhere than its session's node is forwarded.
            assertThat(nodes.get(i).clusterPolling().forwardedRequests()).as("requests node %d forwarded", i).isGreaterThan(forwardedBefore[i]);
        }
        for (BrokerServer node : nodes) {
            // Round robin over three nodes sends two requests in three elsewhere than their session's node.
            assertThat(node.clusterPolling().forwardedRequests()).as("requests node %d forwarded", node.port()).isPositive();
            assertThat(node.clusterPolling().servedRequests()).as("requests node %d served for others", node.port()).isPositive();
        }
        // Not asserted here: no 401 at all. The suite's teardown disconnects clients whose last connect may
        // still be on its way through nginx, and that connect is rightly answered 401 (seen once in a CI
        // run, with every test passing). RoundRobinLoadBalancerIT counts handshakes per client instead.
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
