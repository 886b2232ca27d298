package io.bayeuxd.engine.redis;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of three masters for a test: three {@code redis-server --cluster-enabled yes} on
 * free loopback ports, joined by {@code redis-cli --cluster create}. Tests skip where the binaries are
 * missing ({@link #isInstalled}).
 */
public final class RedisClusterProcesses implements AutoCloseable {
    private static final int MASTERS = 3;
    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    public static boolean isInstalled() {
        return RedisServerProcess.isInstalled() && Files.isExecutable(Path.of("/usr/bin/redis-cli"));
    }

    public static RedisClusterProcesses start(Path dir) throws IOException, InterruptedException {
        RedisClusterProcesses cluster = new RedisClusterProcesses();
        try {
            cluster.startServers(dir);
            cluster.create();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startServers(Path dir) throws IOException {
        for (int i = 0; i < MASTERS; i++) {
            int port = freePort();
            // The bus port too: by default it is port + 10000, which may be taken or past 65535, and then
            // redis-server does not start.
            int busPort = freePort();
            Path home = Files.createDirectories(dir.resolve("redis-" + port));
            servers.add(new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort), "--cluster-config-file", home.resolve("nodes.conf").toString(), "--dir", home.toString(),
                    "--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(home.resolve("out.log").toFile()).start());
            ports.add(port);
        }
        for (int port : ports) {
            Awaitility.await("redis-server on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> cli(port, "PING").contains("PONG"));
        }
    }

    private void create() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
        ports.forEach(p -> command.add("127.0.0.1:" + p));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        for (int port : ports) {
            Awaitility.await("cluster state ok on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"));
        }
    }

    /** The bus URL: every master as a seed. */
    public String url() {
        return "redis-cluster://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Runs {@code redis-cli -p PORT words...} and returns what it printed. */
    public static String cli(int port, String... words) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(words));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    public List<Integer> ports() {
        return ports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : servers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
