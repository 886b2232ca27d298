package io.bayeuxd.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The test's side of {@code interop/lb/cluster.js}: Faye Node subscribers (WebSocket and long-polling)
 * and one publisher, all connected through a balancer only; the script records and this class reads back
 * what each saw ({@link #report()}). Every call waits a bounded time for the script's answer; a
 * {@code FAILED} answer or silence fails the test with what the script said.
 */
final class ClusterClients {
    static final Path SCRIPT = Path.of("..", "interop", "lb", "cluster.js").toAbsolutePath().normalize();

    /** A subscribe reply a subscriber had: the last seq sent then, and the node (the balancer's cookie) it came from. */
    record Subscribed(int sentThen, String node) {
    }

    /** A WebSocket event of a subscriber: the last seq sent then, and the balancer's upstream port of the socket ("?" unknown). */
    record Socket(int sentThen, String upstream) {
    }

    /**
     * What one subscriber saw: every seq in arrival order, each subscribe reply, its handshakes, its
     * client id at the end, each WebSocket it opened and each one {@link #drop} destroyed.
     */
    record Subscriber(int id, String transport, int handshakes, List<Subscribed> subscribes, List<Integer> seqs,
                      String clientId, List<Socket> opened, List<Socket> drops) {
        /** The node of its last subscribe reply: where it is now. */
        String node() {
            return subscribes.get(subscribes.size() - 1).node();
        }
    }

    /** One subscriber's state at a {@link #mark}. */
    record At(int maxReceived, String node, int subscribes) {
    }

    /** The last seq sent at a {@link #mark}, and each subscriber's state then (by id). */
    record Mark(int sent, List<At> subscribers) {
    }

    /** What the script recorded; {@code failed} are the publisher's unacknowledged seqs. */
    record Report(String publisherNode, int sent, int acked, List<Integer> failed, List<Subscriber> subscribers, Map<String, Mark> marks) {
    }

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;

    private ClusterClients(Process process) {
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
        }, "cluster-clients-output");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts the script through the harness (which stops it) with {@code webSockets} and {@code longPolls}
     * subscribers connecting to the balancer on {@code balancerPort}, and waits until all have subscribed
     * and the publisher is on its WebSocket.
     */
    static ClusterClients start(LoadBalancerHarness harness, int balancerPort, int webSockets, int longPolls) throws IOException, InterruptedException {
        return start(harness, balancerPort, webSockets, longPolls, Map.of("PUBLISH_EVERY_MS", "20", "MAX_MESSAGES", "6000"));
    }

    /**
     * {@link #start(LoadBalancerHarness, int, int, int)} with the script's other settings ({@code PUBLISH_EVERY_MS},
     * {@code MAX_MESSAGES}, {@code ROUTING}, {@code RETRY_S}; see its header).
     */
    static ClusterClients start(LoadBalancerHarness harness, int balancerPort, int webSockets, int longPolls, Map<String, String> settings)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("LB_URL", "http://127.0.0.1:" + balancerPort + "/");
        pb.environment().put("WS_SUBSCRIBERS", Integer.toString(webSockets));
        pb.environment().put("LP_SUBSCRIBERS", Integer.toString(longPolls));
        pb.environment().putAll(settings);
        ClusterClients clients = new ClusterClients(harness.start(pb));
        clients.expect("READY", 60);
        return clients;
    }

    /** Starts the numbered stream (one publication every 20 ms unless started otherwise), or starts it again after {@link #pause}. */
    void startStream() throws Exception {
        command("START", "OK START", 10);
    }

    /** Stops the stream until {@link #startStream}, once every subscriber has every seq sent; returns the last seq sent. */
    int pause() throws Exception {
        String reply = command("PAUSE", "OK PAUSE ", 40);
        return Integer.parseInt(reply.substring("OK PAUSE ".length()));
    }

    /** Destroys the TCP connection under these WebSocket subscribers' sockets; returns once Faye has seen each close. */
    void drop(List<Integer> ids) throws Exception {
        command("DROP " + ids.stream().map(String::valueOf).collect(Collectors.joining(",")), "OK DROP", 20);
    }

    /** Returns once each of these subscribers has opened a WebSocket since its last drop and received seq {@code n} or a later one. */
    void awaitReconnected(List<Integer> ids, int n) throws Exception {
        command("WAIT_RECONNECTED " + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + " " + n, "OK WAIT_RECONNECTED", 40);
    }

    /** Notes the stream's position and each subscriber's state under {@code name}; returns the last seq sent. */
    int mark(String name) throws Exception {
        String reply = command("MARK " + name, "OK MARK " + name + " ", 10);
        return Integer.parseInt(reply.substring(reply.lastIndexOf(' ') + 1));
    }

    /** Returns once seq {@code n} has been sent. */
    void awaitSent(int n) throws Exception {
        command("WAIT_SENT " + n, "OK WAIT_SENT", 40);
    }

    /** Returns once every subscriber has received seq {@code n} or a later one. */
    void awaitEverySubscriberReceived(int n) throws Exception {
        command("WAIT_ALL " + n, "OK WAIT_ALL", 40);
    }

    /** Returns once every subscriber that was on {@code node} at {@code mark} has subscribed again on another node. */
    void awaitResubscribedElsewhere(String mark, String node) throws Exception {
        command("WAIT_RESUBSCRIBED " + mark + " " + node, "OK WAIT_RESUBSCRIBED", 40);
    }

    /** Stops the stream once the publisher's last publications are acknowledged; returns the last seq. */
    int stopStream() throws Exception {
        String reply = command("STOP", "OK STOP ", 40);
        return Integer.parseInt(reply.substring("OK STOP ".length()));
    }

    Report report() throws Exception {
        send("REPORT");
        String pub = next("PUB ", 20).substring(4);
        String[] p = pub.split(" ");
        List<Subscriber> subscribers = new ArrayList<>();
        Map<String, Mark> marks = new LinkedHashMap<>();
        for (String line = next("", 20); !line.equals("END"); line = next("", 20)) {
            String[] f = line.split(" ");
            if (f[0].equals("SUB")) {
                List<Subscribed> subscribes = list(f[4]).stream().map(s -> s.split(":"))
                        .map(s -> new Subscribed(Integer.parseInt(s[0]), s[1])).toList();
                subscribers.add(new Subscriber(Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), subscribes, ints(f[5]),
                        f[6], sockets(f[7]), sockets(f[8])));
            } else if (f[0].equals("MARK")) {
                List<At> at = list(f[3]).stream().map(s -> s.split(":"))
                        .map(s -> new At(Integer.parseInt(s[0]), s[1], Integer.parseInt(s[2]))).toList();
                marks.put(f[1], new Mark(Integer.parseInt(f[2]), at));
            } else {
                throw new AssertionError("unexpected report line from the Faye clients: " + line);
            }
        }
        return new Report(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), ints(p[3]), subscribers, marks);
    }

    /** Disconnects every client; the script exits 0. */
    void quit() throws Exception {
        send("QUIT");
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("the Faye clients did not disconnect and exit 0; they said: " + drain());
        }
    }

    private static List<String> list(String field) {
        return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
    }

    private static List<Socket> sockets(String field) {
        return list(field).stream().map(s -> s.split(":", 2)).map(s -> new Socket(Integer.parseInt(s[0]), s[1])).toList();
    }

    private static List<Integer> ints(String field) {
        return list(field).stream().map(Integer::valueOf).toList();
    }

    private String command(String command, String expected, int seconds) throws Exception {
        send(command);
        return next(expected, seconds);
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    private void expect(String prefix, int seconds) throws InterruptedException {
        next(prefix, seconds);
    }

    /** The next line; it must start with {@code prefix}. */
    private String next(String prefix, int seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(prefix)) {
            throw new AssertionError("expected " + (prefix.isEmpty() ? "a line" : prefix) + " from the Faye clients within "
                    + seconds + " s, got " + (line == null ? "nothing" : line) + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
                    + "; then: " + drain());
        }
        return line;
    }

    private List<String> drain() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }
}
