package io.bayeuxd.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two broker processes behind a real HAProxy (round robin, WebSocket upgrade, health checks on
 * {@code /readyz}, a cookie to keep each client on its node). Faye Node clients connect through it over
 * WebSocket; one broker is drained with SIGTERM; the clients on it reconnect through the balancer to
 * the other node and receive messages again.
 *
 * <p>What it checks: clients are spread over both nodes; the drained node exits within its drain
 * timeout (its readiness turning 503 is {@code BrokerServerDrainTest}'s); every client then receives messages published after the drain. Messages do
 * not cross nodes (there is no shared engine yet), so the script publishes each message to both nodes
 * directly; what the test shows is the clients' path back through the balancer.
 */
class LoadBalancerIT {
    private static final Path JAR = Path.of("target", "bayeuxd.jar").toAbsolutePath();
    private static final Path SCRIPT = Path.of("..", "interop", "lb", "failover.js").toAbsolutePath().normalize();
    private static final Path FAYE = Path.of("..", "interop", "faye", "node_modules", "faye").toAbsolutePath().normalize();

    private final List<Process> processes = new ArrayList<>();
    @org.junit.jupiter.api.io.TempDir
    Path logs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopAll() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    @Test
    void clientsFollowTheBalancerWhenABrokerDrains() throws Exception {
        Assumptions.assumeTrue(onPath("haproxy"), "haproxy is not installed: load-balancer test skipped");
        Assumptions.assumeTrue(onPath("node"), "node is not installed: load-balancer test skipped");
        Assumptions.assumeTrue(Files.isDirectory(FAYE), "interop/faye/node_modules missing: load-balancer test skipped");
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "target/bayeuxd.jar missing: run after `mvn package`");

        int portA = freePort();
        int portB = freePort();
        int portLb = freePort();
        Process a = broker(portA);
        Process b = broker(portB);
        awaitReady(portA);
        awaitReady(portB);

        Path cfg = logs.resolve("haproxy.cfg");
        Files.writeString(cfg, haproxyConfig(portLb, portA, portB));
        start(new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(logs.resolve("haproxy.log").toFile()));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get(portLb, "/readyz").statusCode() == 200);

        ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("LB_URL", "http://127.0.0.1:" + portLb + "/");
        pb.environment().put("NODE_URLS", "http://127.0.0.1:" + portA + "/,http://127.0.0.1:" + portB + "/");
        pb.environment().put("CLIENTS", "20");
        pb.environment().put("BAYEUX_TRANSPORT", "websocket");
        Process node = start(pb);
        BlockingQueue<String> lines = lines(node);
        Writer toNode = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);

        assertThat(nextLine(lines, "READY", 60)).isEqualTo("READY");
        long onA = sessions(portA);
        long onB = sessions(portB);
        assertThat(onA).as("sessions on node A").isPositive();
        assertThat(onB).as("sessions on node B").isPositive();

        a.destroy();   // SIGTERM: drain. Its listener closes at once, so HAProxy's next check marks it down.
        assertThat(a.waitFor(15, TimeUnit.SECONDS)).as("drained broker exits within its drain timeout").isTrue();
        toNode.write("DRAINED\n");
        toNode.flush();

        String recovered = nextLine(lines, "RECOVERED", 60);
        assertThat(recovered).startsWith("RECOVERED");
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        assertThat(b.isAlive()).isTrue();
    }

    private Process broker(int port) throws IOException {
        return start(new ProcessBuilder("java", "-jar", JAR.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--timeout", "10", "--drain-timeout", "5").redirectErrorStream(true)
                .redirectOutput(logs.resolve("broker-" + port + ".log").toFile()));
    }

    private static String haproxyConfig(int lb, int a, int b) {
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
                    default-server inter 300ms fall 1 rise 2
                    server a 127.0.0.1:%d check cookie a
                    server b 127.0.0.1:%d check cookie b
                """.formatted(lb, a, b);
    }

    private long sessions(int port) throws Exception {
        String body = get(port, "/metrics").body();
        Matcher m = Pattern.compile("(?m)^bayeux_sessions(\\{[^}]*})? ([0-9.e+E]+)$").matcher(body);
        assertThat(m.find()).as("bayeux_sessions in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(2));
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(port, "/readyz").statusCode() == 200);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node-output");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String nextLine(BlockingQueue<String> lines, String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(500, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
            if (line.startsWith("FAILED")) {
                break;
            }
        }
        throw new AssertionError("no " + prefix + " from the Faye clients; they said: " + seen);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String tool) {
        try {
            Process p = new ProcessBuilder(tool, tool.equals("haproxy") ? "-v" : "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
