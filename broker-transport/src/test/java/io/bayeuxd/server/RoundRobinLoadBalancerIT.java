package io.bayeuxd.server;

import io.bayeuxd.engine.redis.RedisServerProcess;
import io.bayeuxd.server.ClusterClients.Report;
import io.bayeuxd.server.ClusterClients.Socket;
import io.bayeuxd.server.ClusterClients.Subscriber;
import io.bayeuxd.server.LoadBalancerHarness.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No sticky sessions, as deployed: three broker processes from the jar with {@code --engine redis} on one
 * real {@code redis-server}, behind nginx doing plain round robin per request (no {@code ip_hash}, no
 * cookie, no upstream keepalive, so each request and each WebSocket may reach any node; WebSocket upgrade
 * headers passed). Faye Node clients ({@code interop/lb/cluster.js} with {@code ROUTING=round-robin})
 * reach the brokers only through nginx: six subscribers over WebSocket, six over long-polling, and one
 * publisher (WebSocket) sending a numbered stream, one message every 50 ms up to 1200. A client's node is
 * its session's, named by the token its client id starts with; nginx names the node each WebSocket reached
 * in an {@code X-Upstream} header of its 101 answer.
 *
 * <p>What it checks:
 * <ol>
 *   <li>Every subscriber receives every message exactly once and in order, with one handshake and one
 *       subscribe: no request of any client was answered {@code 401} ({@code bayeux_errors_total{code="401"}}
 *       stays 0 on every node), though requests really were spread (every node forwarded requests to
 *       others and served requests forwarded by others).</li>
 *   <li>Six times during the stream, three of the WebSocket subscribers lose their socket: the script
 *       destroys the TCP connection under it, as a network blip would. Faye opens a new one through nginx
 *       after its retry interval (2 s), on whichever node nginx picks, and goes on with its session: no
 *       new handshake or subscribe, and the messages published while it had no socket, queued on its
 *       session's node, arrive when it is back. Over the eighteen reconnections, some land on another node
 *       than the dropped socket's, and some on another node than the session's (their frames are then
 *       forwarded).</li>
 * </ol>
 * A drop happens with nothing in flight: the stream pauses until every subscriber has every seq sent, and
 * starts again once every node has seen the sockets close. A frame the broker writes just before the client
 * loses its socket is lost with it, whatever the broker (Bayeux over WebSocket has no acknowledgement, and
 * faye-websocket drops what arrives while its socket closes): that is not what this test measures. What
 * is published while the clients have no socket is.
 *
 * <p>Skipped with a message without nginx, node, the Faye package, the jar or redis-server.
 */
class RoundRobinLoadBalancerIT extends AbstractLoadBalancerIT {
    private static final int WEBSOCKETS = 6;
    private static final int LONG_POLLS = 6;
    private static final int MESSAGES = 1200;
    /** Sent when each round of drops begins. */
    private static final List<Integer> DROP_AT = List.of(200, 340, 480, 620, 760, 900);
    /** Three JVMs share two cores here: the serial collector and the C1 compiler only keep their start and warm-up short. */
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern NODE_TOKEN = Pattern.compile("Cluster bus on .* \\(node (\\S+)\\)");

    private RedisServerProcess redis;

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everySubscriberGetsTheWholeStreamThroughPlainRoundRobinAcrossWebSocketDrops() throws Exception {
        LoadBalancerHarness.assumeAvailable("nginx", "-v");
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: round-robin load-balancer test skipped");
        redis = RedisServerProcess.start();

        List<Broker> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(lb.broker(JVM, List.of("--engine", "redis", "--redis-url", redis.url())));
        }
        Map<String, Broker> byToken = new LinkedHashMap<>();
        for (Broker node : nodes) {
            lb.awaitReady(node.port());
            byToken.put(await("node token in the log of broker " + node.port()).atMost(Duration.ofSeconds(10))
                    .until(() -> token(node), t -> t != null), node);
            // A clean start: Lettuce once warned here, for each connection, that it took epoll over io_uring.
            assertThat(Files.readString(logs.resolve("broker-" + node.port() + ".log")))
                    .as("the start-up log of broker " + node.port()).doesNotContain(" WARN ");
        }
        int port = LoadBalancerHarness.freePort();
        Path prefix = Files.createDirectories(logs.resolve("nginx"));
        Path conf = Files.writeString(prefix.resolve("nginx.conf"), RoundRobinNginx.config(port, nodes.stream().map(Broker::port).toList()));
        lb.start(new ProcessBuilder("nginx", "-p", prefix + "/", "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stderr.log").toFile()));
        lb.awaitReady(port);

        ClusterClients clients = ClusterClients.start(lb, port, WEBSOCKETS, LONG_POLLS, Map.of(
                "ROUTING", "round-robin", "PUBLISH_EVERY_MS", "50", "MAX_MESSAGES", Integer.toString(MESSAGES), "RETRY_S", "2"));
        Report start = clients.report();
        assertThat(start.subscribers()).as("each subscriber's session on a node of the cluster (its client id's token)")
                .allSatisfy(s -> assertThat(byToken).containsKey(s.node()));
        Map<String, Long> sessionsPerNode = start.subscribers().stream().collect(Collectors.groupingBy(Subscriber::node, Collectors.counting()));
        sessionsPerNode.merge(start.publisherNode(), 1L, Long::sum);
        for (var node : byToken.entrySet()) {
            assertThat(lb.sessions(node.getValue())).as("sessions on node " + node.getKey()).isEqualTo(sessionsPerNode.getOrDefault(node.getKey(), 0L));
        }
        assertThat(webSockets(nodes)).as("WebSocket connections over all nodes (subscribers and publisher)").isEqualTo(WEBSOCKETS + 1);
        List<Integer> dropped = start.subscribers().stream().filter(s -> s.transport().equals("websocket")).map(Subscriber::id).limit(3).toList();

        clients.startStream();
        for (int at : DROP_AT) {
            clients.awaitSent(at);
            int paused = clients.pause();
            assertThat(webSockets(nodes)).as("WebSocket connections before the drop").isEqualTo(WEBSOCKETS + 1);
            clients.drop(dropped);
            await("every node has seen the dropped sockets close").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> webSockets(nodes) == WEBSOCKETS + 1 - dropped.size());
            // nginx's rotation moves one step per request. Six long-polls per message, a multiple of the three
            // nodes, keep it in step from one round to the next, so the new sockets came back on the nodes
            // they had left (eight times in nine, in the first run). One request more per round shifts it.
            assertThat(lb.get(port, "/healthz").statusCode()).as("a request through nginx").isEqualTo(200);
            clients.startStream();
            // Faye opens a new socket after its 2 s retry: 40 publications later, they have what came meanwhile.
            clients.awaitReconnected(dropped, paused + 40);
            await("the new sockets counted by their nodes").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> webSockets(nodes) == WEBSOCKETS + 1);
        }
        clients.awaitSent(MESSAGES);
        int last = clients.stopStream();
        clients.awaitEverySubscriberReceived(last);
        Report report = clients.report();
        clients.quit();

        assertThat(report.failed()).as("publications the publisher had refused").isEmpty();
        assertThat(last).as("messages sent").isEqualTo(MESSAGES);
        assertThat(report.acked()).as("publications acknowledged").isEqualTo(MESSAGES);
        List<Integer> stream = IntStream.rangeClosed(1, MESSAGES).boxed().toList();
        Map<Integer, String> portToken = byToken.entrySet().stream().collect(Collectors.toMap(e -> e.getValue().port(), Map.Entry::getKey));
        int changedNode = 0;
        int elsewhereThanSession = 0;
        for (Subscriber s : report.subscribers()) {
            String who = "subscriber " + s.id() + " (" + s.transport() + ", session on node " + s.node() + ")";
            System.out.printf("RoundRobinLoadBalancerIT: %s: %d handshakes, %d seqs, sockets opened (seq sent then:node) %s, dropped %s%n",
                    who, s.handshakes(), s.seqs().size(), names(s.opened(), portToken), names(s.drops(), portToken));
            assertThat(s.seqs()).as(who + ": every seq, once, in order").isEqualTo(stream);
            assertThat(s.handshakes()).as(who + ": handshakes").isEqualTo(1);
            assertThat(s.subscribes()).as(who + ": subscribe replies").hasSize(1);
            assertThat(s.clientId()).as(who + ": client id at the end").startsWith(s.node()).isEqualTo(start.subscribers().get(s.id()).clientId());
            if (!s.transport().equals("websocket")) {
                assertThat(s.opened()).as(who + ": WebSockets").isEmpty();
                continue;
            }
            assertThat(s.opened()).as(who + ": each WebSocket on a node, by nginx's X-Upstream")
                    .allSatisfy(o -> assertThat(portToken).containsKey(Integer.parseInt(o.upstream())));
            if (!dropped.contains(s.id())) {
                assertThat(s.opened()).as(who + ": WebSockets opened (not dropped)").hasSize(1);
                assertThat(s.drops()).isEmpty();
                continue;
            }
            assertThat(s.drops()).as(who + ": drops").hasSize(DROP_AT.size());
            assertThat(s.opened()).as(who + ": WebSockets opened (the first, one after each drop)").hasSize(DROP_AT.size() + 1);
            for (int i = 0; i < s.drops().size(); i++) {
                Socket drop = s.drops().get(i);
                Socket reopened = s.opened().get(i + 1);
                assertThat(reopened.sentThen()).as(who + ": reconnected after messages were published without it (dropped at seq %d)", drop.sentThen())
                        .isGreaterThan(drop.sentThen());
                changedNode += reopened.upstream().equals(drop.upstream()) ? 0 : 1;
                elsewhereThanSession += portToken.get(Integer.parseInt(reopened.upstream())).equals(s.node()) ? 0 : 1;
            }
        }
        int reconnections = dropped.size() * DROP_AT.size();
        System.out.printf("RoundRobinLoadBalancerIT: of %d reconnections, %d on another node than the dropped socket's, %d on another than the session's%n",
                reconnections, changedNode, elsewhereThanSession);
        assertThat(changedNode).as("reconnections that landed on another node than the dropped socket's").isPositive();
        assertThat(elsewhereThanSession).as("reconnections that landed on another node than the session's").isPositive();

        for (var node : byToken.entrySet()) {
            Broker b = node.getValue();
            long forwarded = lb.metric(b, "bayeux_cluster_requests_forwarded_total", "");
            long served = lb.metric(b, "bayeux_cluster_requests_served_total", "");
            long late = lb.metric(b, "bayeux_cluster_answers_late_total", "");
            long unknown = lb.metric(b, "bayeux_errors_total", "{code=\"401\"}");
            System.out.printf("RoundRobinLoadBalancerIT: node %s (port %d): forwarded %d, served %d, late answers %d, 401 %d%n",
                    node.getKey(), b.port(), forwarded, served, late, unknown);
            assertThat(forwarded).as("requests node " + node.getKey() + " forwarded to the session's node").isPositive();
            assertThat(served).as("requests node " + node.getKey() + " served for other nodes").isPositive();
            assertThat(unknown).as("401 answers of node " + node.getKey()).isZero();
            long sent = lb.metric(b, "bayeux_cluster_publications_sent_total", "");
            long undelivered = lb.metric(b, "bayeux_cluster_publications_undelivered_total", "");
            long flushes = lb.metric(b, "bayeux_cluster_flushes_total", "");
            if (sent > 0) {
                // Every publication went out in some write, and no write went out without one.
                assertThat(flushes).as("writes of publications of node " + node.getKey()).isBetween(1L, sent + undelivered);
            }
        }
    }

    private long webSockets(List<Broker> nodes) throws Exception {
        long sum = 0;
        for (Broker node : nodes) {
            sum += lb.webSockets(node);
        }
        return sum;
    }

    /** The node token a broker logged when its cluster bus started, or null before. */
    private String token(Broker node) throws Exception {
        Path log = logs.resolve("broker-" + node.port() + ".log");
        Matcher m = NODE_TOKEN.matcher(Files.exists(log) ? Files.readString(log) : "");
        return m.find() ? m.group(1) : null;
    }

    private static List<String> names(List<Socket> sockets, Map<Integer, String> portToken) {
        return sockets.stream().map(s -> s.sentThen() + ":" + (s.upstream().equals("?") ? "?" : portToken.get(Integer.parseInt(s.upstream())))).toList();
    }
}
