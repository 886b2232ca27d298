package io.bayeuxd.server;

import io.bayeuxd.interop.NodeTestRun;
import org.junit.jupiter.api.Assumptions;

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
 * What {@link LoadBalancerIT} and {@link NginxLoadBalancerIT} share: broker processes from the runnable
 * jar, the balancer a test starts, and the Faye Node clients of {@code interop/lb/failover.js}, started in
 * that order by {@link #startCluster}.
 * {@link #close()} stops every process started through it, and nothing else.
 */
final class LoadBalancerHarness implements AutoCloseable {
    /** Faye clients the script connects through the balancer. */
    static final int CLIENTS = 20;

    private static final Path JAR = Path.of("target", "bayeuxd.jar").toAbsolutePath();
    private static final Path SCRIPT = Path.of("..", "interop", "lb", "failover.js").toAbsolutePath().normalize();
    private static final Path FAYE = Path.of("..", "interop", "faye", "node_modules", "faye").toAbsolutePath().normalize();

    /** A broker process and the port it listens on. */
    record Broker(int port, Process process) {
    }

    /** How a test starts its balancer: the command line for a listening port and the two brokers' ports. */
    @FunctionalInterface
    interface BalancerCommand {
        ProcessBuilder forPorts(int listen, int brokerA, int brokerB) throws IOException;
    }

    /** Two brokers, a balancer in front of them, and the Faye clients connected through it. */
    record Cluster(Broker a, Broker b, FayeClients clients) {
    }

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param dir where the processes' logs and the balancer's files go */
    LoadBalancerHarness(Path dir) {
        this.dir = dir;
    }

    /**
     * Skips the test, saying why, without the balancer, Node, the Faye client or the runnable jar. The
     * balancer is found on the PATH, as {@link ProcessBuilder} will look for it there.
     */
    static void assumeAvailable(String balancer, String versionOption) {
        Assumptions.assumeTrue(NodeTestRun.toolRuns(balancer, versionOption), balancer + " is not installed (or not on the PATH): load-balancer test skipped");
        Assumptions.assumeTrue(NodeTestRun.toolRuns("node", "--version"), "node is not installed: load-balancer test skipped");
        Assumptions.assumeTrue(Files.isDirectory(FAYE), "interop/faye/node_modules missing: load-balancer test skipped");
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "target/bayeuxd.jar missing: run after `mvn package`");
    }

    /**
     * Starts two brokers, then the balancer in front of them, then the Faye clients through it, each
     * once the one before is ready; returns when every client has subscribed and received a message.
     */
    Cluster startCluster(BalancerCommand balancer) throws IOException, InterruptedException {
        Broker a = broker();
        Broker b = broker();
        awaitReady(a.port());
        awaitReady(b.port());
        int port = freePort();
        start(balancer.forPorts(port, a.port(), b.port()));
        awaitReady(port);
        FayeClients clients = fayeClients(port, a, b);
        clients.awaitReady();
        return new Cluster(a, b, clients);
    }

    /** Starts a broker on a free port with a short Bayeux timeout and drain timeout; see {@link #awaitReady}. */
    private Broker broker() throws IOException {
        return broker(List.of(), List.of());
    }

    /**
     * {@link #broker()} with options for its JVM (before {@code -jar}) and more command-line options of
     * the broker; its output goes to {@code broker-<port>.log} in the harness's directory.
     */
    Broker broker(List<String> jvmOptions, List<String> options) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--timeout", "10", "--drain-timeout", "5"));
        command.addAll(options);
        Process p = start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker-" + port + ".log").toFile()));
        return new Broker(port, p);
    }

    /** Starts a process that {@link #close()} will stop. */
    Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Waits until {@code /readyz} on the port (a broker's, or a balancer's in front of brokers) answers 200. */
    void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(port, "/readyz").statusCode() == 200);
    }

    /** Sends SIGTERM, which drains the broker: its listener closes at once, then it exits. */
    void drain(Broker broker) throws InterruptedException {
        broker.process().destroy();
        assertThat(broker.process().waitFor(15, TimeUnit.SECONDS)).as("drained broker exits within its drain timeout").isTrue();
    }

    long sessions(Broker broker) throws Exception {
        return metric(broker, "bayeux_sessions", "");
    }

    long webSockets(Broker broker) throws Exception {
        return metric(broker, "bayeux_connections", "{transport=\"websocket\"}");
    }

    /** One sample of a gauge or counter in the broker's {@code /metrics}; {@code labels} as written there, or empty. */
    long metric(Broker broker, String name, String labels) throws Exception {
        String body = get(broker.port(), "/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + labels) + " ([0-9.e+E]+)$").matcher(body);
        assertThat(m.find()).as(name + labels + " in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Starts {@link #CLIENTS} Faye clients connecting over WebSocket through the balancer; the script
     * publishes each message to both brokers directly, as messages do not cross nodes.
     */
    private FayeClients fayeClients(int balancerPort, Broker a, Broker b) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("LB_URL", "http://127.0.0.1:" + balancerPort + "/");
        pb.environment().put("NODE_URLS", "http://127.0.0.1:" + a.port() + "/,http://127.0.0.1:" + b.port() + "/");
        pb.environment().put("CLIENTS", Integer.toString(CLIENTS));
        pb.environment().put("BAYEUX_TRANSPORT", "websocket");
        return new FayeClients(start(pb));
    }

    /** The script's side of its stdio protocol (see {@code failover.js}). */
    static final class FayeClients {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer stdin;

        private FayeClients(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "node-output");
            t.setDaemon(true);
            t.start();
        }

        /** Every client has subscribed and received a message. */
        void awaitReady() throws InterruptedException {
            nextLine("READY", 60);
        }

        /** Tells the script a broker has drained; every client then receives a message published after that, and the script exits 0. */
        void awaitRecoveryAfterDrain() throws Exception {
            stdin.write("DRAINED\n");
            stdin.flush();
            assertThat(nextLine("RECOVERED", 60)).startsWith("RECOVERED");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("Faye clients exit").isTrue();
            assertThat(process.exitValue()).isZero();
        }

        private String nextLine(String prefix, int seconds) throws InterruptedException {
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
    }

    /**
     * Kills every process started here, and their children: a balancer's workers (nginx's) are listed
     * before their parent dies, as they would be re-parented and so out of reach afterwards, and killed
     * after it, so it cannot start new ones.
     */
    @Override
    public void close() {
        for (Process p : processes) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
