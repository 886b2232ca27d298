package io.bayeuxd.server;

import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.ClusterClients.At;
import io.bayeuxd.server.ClusterClients.Mark;
import io.bayeuxd.server.ClusterClients.Report;
import io.bayeuxd.server.ClusterClients.Subscriber;
import io.bayeuxd.server.LoadBalancerHarness.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three broker processes from the jar with {@code --engine redis} on one real {@code redis-server}, behind
 * HAProxy configured as in {@code docs/operations.md} (round robin, health checks on {@code /readyz}, a
 * cookie for stickiness, WebSocket passed through). Faye Node clients ({@code interop/lb/cluster.js})
 * reach the brokers only through HAProxy: six subscribers over WebSocket, six over long-polling, and one
 * publisher (WebSocket) sending a numbered stream, one message every 20 ms, throughout. Each client's
 * node is the value of HAProxy's cookie in its jar, checked against each node's {@code bayeux_sessions}.
 *
 * <p>What it checks, in one run over one stream:
 * <ol>
 *   <li>Steady state: the clients are spread over all three nodes, and every subscriber receives the
 *       stream (publications cross nodes through Redis).</li>
 *   <li>Redis killed (SIGKILL) and started again under traffic: every node reports
 *       {@code 503 cluster_unreachable}, then {@code 200} again with {@code bayeux_cluster_reconnects_total}
 *       up by at least one, without a restart of its own. What the publisher sent while every node knew
 *       Redis was down reached exactly the subscribers on the publisher's node. Subscribers there lost
 *       nothing; each subscriber elsewhere lost one run of seqs, after the last it had when Redis was
 *       killed and before every node was ready again; after that the stream crosses nodes again.</li>
 *   <li>A node other than the publisher's killed (SIGKILL) under traffic: its clients re-handshake once
 *       through HAProxy on the surviving nodes and receive the stream again; each lost one run of seqs,
 *       after the last it had at the kill and no later than the last seq sent before its new subscribe
 *       reply. The clients of the surviving nodes lose nothing.</li>
 * </ol>
 * Every subscriber receives each seq at most once and in order. The losses are counted and printed. Skipped
 * with a message without haproxy, node, the Faye package or redis-server.
 *
 * <p>Not covered: nginx (its {@code ip_hash} puts every client of 127.0.0.1 on one node), a node drained
 * with SIGTERM ({@link LoadBalancerIT}), Redis Sentinel.
 */
class RedisLoadBalancerIT extends AbstractLoadBalancerIT {
    private static final int WEBSOCKETS = 6;
    private static final int LONG_POLLS = 6;
    /** Three JVMs share two cores here: the serial collector and the C1 compiler only keep their start and warm-up short. */
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private RedisServerProcess redis;

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theStreamReachesEverySubscriberThroughHaproxyAcrossARedisRestartAndANodeKill() throws Exception {
        LoadBalancerHarness.assumeAvailable("haproxy", "-v");
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: Redis load-balancer test skipped");
        redis = RedisServerProcess.start();

        Map<String, Broker> nodes = new LinkedHashMap<>();
        for (String name : List.of("a", "b", "c")) {   // HAProxy's server names and cookie values, in order
            nodes.put(name, lb.broker(JVM, List.of("--engine", "redis", "--redis-url", redis.url())));
        }
        for (Broker node : nodes.values()) {
            lb.awaitReady(node.port());
        }
        int port = LoadBalancerHarness.freePort();
        lb.start(LoadBalancerIT.haproxy(logs, port, nodes.values().stream().mapToInt(Broker::port).toArray()));
        lb.awaitReady(port);
        // HAProxy counts a node up after two good checks, each node on its own schedule: the clients start
        // once three requests in a row through it reach the three nodes (round robin over those it counts up).
        await("HAProxy sends to every node").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> landingNodes(port).equals(nodes.keySet()));
        ClusterClients clients = ClusterClients.start(lb, port, WEBSOCKETS, LONG_POLLS);

        // 1. Spread over the nodes, as HAProxy's cookie and each node's own count say.
        Report start = clients.report();
        String publisherNode = start.publisherNode();
        Map<String, Long> clientsPerNode = start.subscribers().stream().collect(Collectors.groupingBy(Subscriber::node, Collectors.counting()));
        assertThat(clientsPerNode).as("subscribers per node (HAProxy's cookie)").containsOnlyKeys(nodes.keySet());
        clientsPerNode.merge(publisherNode, 1L, Long::sum);
        Map<String, Long> webSocketsPerNode = start.subscribers().stream().filter(s -> s.transport().equals("websocket"))
                .collect(Collectors.groupingBy(Subscriber::node, Collectors.counting()));
        webSocketsPerNode.merge(publisherNode, 1L, Long::sum);
        for (var node : nodes.entrySet()) {
            assertThat(lb.metric(node.getValue(), "bayeux_sessions", "")).as("sessions on node " + node.getKey())
                    .isEqualTo(clientsPerNode.get(node.getKey()));
            assertThat(lb.webSockets(node.getValue())).as("WebSocket connections on node " + node.getKey() + " (through HAProxy)")
                    .isEqualTo(webSocketsPerNode.getOrDefault(node.getKey(), 0L));
        }
        assertThat(start.subscribers()).as("subscribers on the publisher's node").anyMatch(s -> s.node().equals(publisherNode));
        clients.startStream();
        clients.awaitEverySubscriberReceived(50);

        // 2. Redis killed and started again under traffic.
        Map<String, Long> reconnectsBefore = new LinkedHashMap<>();
        for (var node : nodes.entrySet()) {
            reconnectsBefore.put(node.getKey(), lb.metric(node.getValue(), "bayeux_cluster_reconnects_total", ""));
        }
        clients.mark("redis-killed");
        redis.kill();
        await("every node reports 503 cluster_unreachable").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> allReadyz(nodes, 503, "cluster_unreachable"));
        int down = clients.mark("redis-down");
        clients.awaitSent(down + 25);   // half a second of publications while every node knows Redis is down
        int restarted = clients.mark("redis-restarted");
        redis.startAgain();
        await("every node ready again, having reconnected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> allReadyz(nodes, 200, "ready") && reconnected(nodes, reconnectsBefore));
        int ready = clients.mark("redis-back");
        clients.awaitEverySubscriberReceived(ready + 25);

        // 3. A node other than the publisher's killed under traffic.
        String victim = nodes.keySet().stream().filter(n -> !n.equals(publisherNode)).findFirst().orElseThrow();
        int killedAt = clients.mark("node-killed");
        nodes.get(victim).process().destroyForcibly();   // SIGKILL
        assertThat(nodes.get(victim).process().waitFor(10, TimeUnit.SECONDS)).as("killed node exits").isTrue();
        clients.awaitResubscribedElsewhere("node-killed", victim);
        int resubscribed = clients.mark("resubscribed");
        clients.awaitSent(resubscribed + 25);
        int last = clients.stopStream();
        clients.awaitEverySubscriberReceived(last);
        Report report = clients.report();
        clients.quit();

        // What every client saw.
        assertThat(report.failed()).as("publications the publisher had refused").isEmpty();
        assertThat(report.acked()).as("publications acknowledged").isEqualTo(last);
        assertThat(report.publisherNode()).as("the publisher's node").isEqualTo(publisherNode);
        Mark atRedisKill = report.marks().get("redis-killed");
        Mark whileDown = report.marks().get("redis-down");
        Mark atNodeKill = report.marks().get("node-killed");
        Predicate<Subscriber> onPublisherNode = s -> whileDown.subscribers().get(s.id()).node().equals(publisherNode);
        Predicate<Subscriber> onVictim = s -> atNodeKill.subscribers().get(s.id()).node().equals(victim);
        assertThat(report.subscribers()).as("subscribers on the killed node").anyMatch(onVictim);

        System.out.printf("RedisLoadBalancerIT: %d messages, publisher on node %s; Redis killed at seq %d, known down at %d, started again at %d, "
                        + "every node ready at %d; node %s killed at %d, its clients subscribed again by %d%n",
                last, publisherNode, atRedisKill.sent(), down, restarted, ready, victim, killedAt, resubscribed);
        for (Subscriber s : report.subscribers()) {
            Set<Integer> received = new HashSet<>(s.seqs());
            System.out.printf("  subscriber %d (%s): %d handshakes, subscribe replies (seq sent then:node) %s, at the marks (max received:node) %s, lost %s%n",
                    s.id(), s.transport(), s.handshakes(), s.subscribes(),
                    report.marks().entrySet().stream().map(m -> m.getKey() + "=" + m.getValue().subscribers().get(s.id())).toList(),
                    runs(IntStream.rangeClosed(1, last).boxed().filter(n -> !received.contains(n)).toList()).stream()
                            .map(r -> r[0] + "-" + r[1]).toList());
        }
        List<String> lines = new ArrayList<>();
        int lostToRedis = 0;
        int lostToKill = 0;
        for (Subscriber s : report.subscribers()) {
            String who = "subscriber " + s.id() + " (" + s.transport() + ", node " + atRedisKill.subscribers().get(s.id()).node()
                    + (onVictim.test(s) ? " then " + s.node() : "") + ")";
            assertThat(s.seqs()).as(who + ": each seq once, in order").isSorted().doesNotHaveDuplicates();
            Set<Integer> received = new HashSet<>(s.seqs());
            List<int[]> lost = runs(IntStream.rangeClosed(1, last).boxed().filter(n -> !received.contains(n)).toList());
            List<int[]> redisRuns = lost.stream().filter(r -> r[0] <= ready).toList();
            List<int[]> killRuns = lost.stream().filter(r -> r[0] > ready).toList();

            At redisKilled = atRedisKill.subscribers().get(s.id());
            if (onPublisherNode.test(s)) {
                assertThat(redisRuns).as(who + " on the publisher's node: lost while Redis was down").isEmpty();
            } else {
                assertThat(redisRuns).as(who + ": lost while Redis was down, one run").hasSize(1);
                int[] run = redisRuns.get(0);
                assertThat(run[0]).as(who + ": first lost, after what it had when Redis was killed").isGreaterThan(redisKilled.maxReceived());
                assertThat(run[0]).as(who + ": first lost, no later than the first sent with every node knowing").isLessThanOrEqualTo(down + 1);
                assertThat(run[1]).as(who + ": last lost, no earlier than the last sent before Redis started again").isGreaterThanOrEqualTo(restarted);
                assertThat(run[1]).as(who + ": last lost, before every node was ready again").isLessThanOrEqualTo(ready);
            }
            if (onVictim.test(s)) {
                At killed = atNodeKill.subscribers().get(s.id());
                int resubscribedAt = s.subscribes().get(s.subscribes().size() - 1).sentThen();
                assertThat(s.node()).as(who + ": now on a surviving node").isNotEqualTo(victim);
                assertThat(s.handshakes()).as(who + ": handshakes (the first, and one after the kill)").isEqualTo(2);
                assertThat(s.subscribes()).as(who + ": subscribe replies (the first, and one after the kill)").hasSize(2);
                assertThat(killRuns).as(who + ": lost when its node was killed, at most one run").hasSizeLessThanOrEqualTo(1);
                for (int[] run : killRuns) {
                    assertThat(run[0]).as(who + ": first lost, after what it had at the kill").isGreaterThan(killed.maxReceived());
                    assertThat(run[1]).as(who + ": last lost, no later than the last sent before its new subscribe reply").isLessThanOrEqualTo(resubscribedAt);
                }
            } else {
                assertThat(killRuns).as(who + " on a surviving node: lost when another node was killed").isEmpty();
                assertThat(s.handshakes()).as(who + ": handshakes").isEqualTo(1);
            }
            assertThat(s.seqs()).as(who + ": the last seq").last().isEqualTo(last);
            int redisLoss = redisRuns.stream().mapToInt(r -> r[1] - r[0] + 1).sum();
            int killLoss = killRuns.stream().mapToInt(r -> r[1] - r[0] + 1).sum();
            lostToRedis += redisLoss;
            lostToKill += killLoss;
            lines.add(who + ": received " + s.seqs().size() + " of " + last + "; lost " + redisLoss + " while Redis was down"
                    + (onVictim.test(s) ? ", " + killLoss + " when its node was killed (re-subscribed at seq " + s.subscribes().get(1).sentThen() + ")" : ""));
        }

        // Published while every node knew Redis was down: exactly the publisher's node's subscribers have it.
        List<Set<Integer>> received = report.subscribers().stream().map(s -> (Set<Integer>) new HashSet<>(s.seqs())).toList();
        Set<Integer> expected = report.subscribers().stream().filter(onPublisherNode).map(Subscriber::id).collect(Collectors.toCollection(TreeSet::new));
        for (int seq = down + 1; seq <= restarted; seq++) {
            int n = seq;
            Set<Integer> receivers = report.subscribers().stream().filter(s -> received.get(s.id()).contains(n)).map(Subscriber::id).collect(Collectors.toCollection(TreeSet::new));
            assertThat(receivers).as("subscribers of seq %d, sent while Redis was down (publisher on node %s)", seq, publisherNode).isEqualTo(expected);
        }
        for (var node : nodes.entrySet()) {
            if (!node.getKey().equals(victim)) {
                assertThat(node.getValue().process().isAlive()).as("node " + node.getKey() + " still runs").isTrue();
            }
        }

        System.out.printf("RedisLoadBalancerIT: lost %d deliveries while Redis was down, %d to the node kill%n  %s%n",
                lostToRedis, lostToKill, String.join("\n  ", lines));
    }

    /** The nodes that three requests in a row through the balancer reach: the values of the cookie it sets. */
    private Set<String> landingNodes(int balancerPort) throws Exception {
        Set<String> reached = new TreeSet<>();
        for (int i = 0; i < 3; i++) {
            lb.get(balancerPort, "/healthz").headers().allValues("set-cookie").stream()
                    .filter(c -> c.startsWith("BAYEUXD=")).map(c -> c.substring("BAYEUXD=".length()).split(";")[0])
                    .forEach(reached::add);
        }
        return reached;
    }

    /** Every node's {@code /readyz} has this status and body. */
    private boolean allReadyz(Map<String, Broker> nodes, int status, String body) throws Exception {
        for (Broker node : nodes.values()) {
            var response = lb.get(node.port(), "/readyz");
            if (response.statusCode() != status || !response.body().trim().equals(body)) {
                return false;
            }
        }
        return true;
    }

    private boolean reconnected(Map<String, Broker> nodes, Map<String, Long> before) throws Exception {
        for (var node : nodes.entrySet()) {
            if (lb.metric(node.getValue(), "bayeux_cluster_reconnects_total", "") < before.get(node.getKey()) + 1) {
                return false;
            }
        }
        return true;
    }

    /** Sorted numbers as runs of consecutive ones, each {first, last}. */
    private static List<int[]> runs(List<Integer> sorted) {
        List<int[]> runs = new ArrayList<>();
        for (int n : sorted) {
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == n - 1) {
                runs.get(runs.size() - 1)[1] = n;
            } else {
                runs.add(new int[]{n, n});
            }
        }
        return runs;
    }
}
