package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.Engine;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two engines, each with its own {@link RedisBus}, on one real {@code redis-server}: two nodes. */
class RedisBusTest {
    private RedisServerProcess redis;
    private TwoNodes nodes;
    private RedisBus busA;
    private RedisBus busB;
    private MemoryEngine nodeA;
    private MemoryEngine nodeB;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisServerProcess.isInstalled(), "redis-server is not installed: Redis bus tests skipped");
        redis = RedisServerProcess.start();
        nodes = new TwoNodes(redis.url());
        busA = nodes.busA;
        busB = nodes.busB;
        nodeA = nodes.nodeA;
        nodeB = nodes.nodeB;
    }

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aPublicationReachesEachSubscriberOfEveryNodeOnceAndInOrder() {
        Session remote = nodeB.createSession(false, 0);
        // Three of its patterns match: the node listens on three Redis channels and gets three copies.
        nodeB.subscribe(remote, "/chat/room");
        nodeB.subscribe(remote, "/chat/*");
        nodeB.subscribe(remote, "/**");
        Session wildcardOnly = nodeB.createSession(false, 0);
        nodeB.subscribe(wildcardOnly, "/chat/**");
        Session local = nodeA.createSession(false, 0);
        nodeA.subscribe(local, "/chat/room");
        awaitListening(busB, 4);

        int n = 500;
        for (int i = 0; i < n; i++) {
            assertThat(publish(nodeA, "/chat/room", i)).isEqualTo(1);
        }

        List<Integer> expected = IntStream.range(0, n).boxed().toList();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> remote.queuedMessages() >= n && wildcardOnly.queuedMessages() >= n);
        assertThat(drainNumbers(remote)).isEqualTo(expected);
        assertThat(drainNumbers(wildcardOnly)).isEqualTo(expected);
        // The publisher's node delivered locally and dropped its own frames coming back from Redis.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> busA.stats().publicationsSent() == n);
        assertThat(drainNumbers(local)).isEqualTo(expected);
        assertThat(busA.stats().publicationsReceived()).isZero();
        assertThat(busB.stats().publicationsReceived()).isEqualTo(n);
        assertThat(busB.stats().deliveries()).isEqualTo(2L * n);
        // Published from a thread that is no event loop: nothing waits for a flush to come.
        assertThat(busA.stats().flushes()).isEqualTo(n);
    }

    @Test
    void publicationsMadeWhileALoopHandlesOneReadGoToRedisInOneWrite() throws Exception {
        Session remote = nodeB.createSession(false, 0);
        nodeB.subscribe(remote, "/batch");
        awaitListening(busB, 1);
        long flushesBefore = busA.stats().flushes();
        int n = 300;
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            // One task stands for one read of a busy connection that carried n publishes.
            loop.submit(() -> {
                for (int i = 0; i < n; i++) {
                    publish(nodeA, "/batch", i);
                }
            }).get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> remote.queuedMessages() >= n);
            assertThat(drainNumbers(remote)).isEqualTo(IntStream.range(0, n).boxed().toList());
            assertThat(busA.stats().flushes() - flushesBefore).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> busA.stats().publicationsSent() == n);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFirstSubscriptionWaitsForRedisToConfirmAndLaterOnesDoNot() throws Exception {
        Session first = nodeA.createSession(false, 0);
        nodeA.subscribe(first, "/confirmed");
        java.util.concurrent.CompletionStage<?> listening = busA.listening("/confirmed");
        if (listening != null) {
            listening.toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(busA.listening("/confirmed")).as("confirmed: nothing to wait for").isNull();
        // Once Redis has confirmed, a publication of the other node reaches the subscriber.
        publish(nodeB, "/confirmed", 1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> first.queuedMessages() == 1);
        Session second = nodeA.createSession(false, 0);
        nodeA.subscribe(second, "/confirmed");
        assertThat(busA.listening("/confirmed")).as("the node listens there already").isNull();
        assertThat(busA.listening("/never-subscribed")).isNull();
    }

    @Test
    void aMessageToAllNodesReachesEveryOtherNodeAndSaysHowManyListened() throws Exception {
        List<String> atA = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> atB = new java.util.concurrent.CopyOnWriteArrayList<>();
        busA.onNodeMessage(m -> atA.add(new String(m, java.nio.charset.StandardCharsets.UTF_8)));
        busB.onNodeMessage(m -> atB.add(new String(m, java.nio.charset.StandardCharsets.UTF_8)));

        int others = busA.sendToAllNodes("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(others).as("node B; not node A itself").isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> atB.contains("hello"));
        assertThat(atA).as("a node does not get its own").isEmpty();
    }

    @Test
    void aNodeListensOnlyWhileOneOfItsSessionsSubscribes() {
        Session a = nodeB.createSession(false, 0);
        Session b = nodeB.createSession(false, 0);
        nodeB.subscribe(a, "/news");
        nodeB.subscribe(b, "/news");
        assertThat(busB.listenedChannels()).isEqualTo(1);
        nodeB.unsubscribe(a, "/news");
        assertThat(busB.listenedChannels()).isEqualTo(1);
        nodeB.destroySession(b);
        assertThat(busB.listenedChannels()).isZero();

        Session late = nodeB.createSession(false, 0);
        nodeB.subscribe(late, "/other");
        awaitListening(busB, 1);
        publish(nodeA, "/news", 1);
        publish(nodeA, "/other", 2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> late.queuedMessages() == 1);
        assertThat(drainNumbers(late)).containsExactly(2);
        assertThat(busB.stats().publicationsReceived()).isEqualTo(1);
    }

    @Test
    void serverSidePublicationsStayOnTheirNode() {
        Session serverSide = nodeB.createSession(true, 0);
        nodeB.subscribe(serverSide, "/service/echo");
        nodeB.subscribe(serverSide, "/done");
        awaitListening(busB, 2);
        ByteBuf payload = delivery("/service/echo", 1);
        try {
            nodeA.publish("/service/echo", payload, Engine.Audience.SERVER_SIDE);
        } finally {
            payload.release();
        }
        publish(nodeA, "/done", 2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> serverSide.queuedMessages() == 1);
        assertThat(drainNumbers(serverSide)).containsExactly(2);
        assertThat(busA.stats().publicationsSent()).isEqualTo(1);
    }

    @Test
    void losingRedisIsSurvivedAndCountedAndTheNodesFindEachOtherAgain() throws Exception {
        Session remote = nodeB.createSession(false, 0);
        nodeB.subscribe(remote, "/feed");
        Session local = nodeA.createSession(false, 0);
        nodeA.subscribe(local, "/feed");
        awaitListening(busB, 1);

        redis.kill();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !nodeA.isClusterHealthy() && !nodeB.isClusterHealthy());
        // Local traffic goes on; what could not cross is counted, not buffered.
        for (int i = 0; i < 10; i++) {
            assertThat(publish(nodeA, "/feed", i)).isEqualTo(1);
        }
        assertThat(busA.stats().undelivered()).isEqualTo(10);
        assertThat(drainNumbers(local)).hasSize(10);

        redis.startAgain();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.isClusterHealthy() && nodeB.isClusterHealthy());
        // The restarted Redis knows no subscriber: node B listens again by itself. Publish until the
        // re-subscription has landed (a message sent before it is lost, as with any pub/sub).
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(nodeA, "/feed", 99);
            return remote.queuedMessages() > 0;
        });
        assertThat(drainNumbers(remote)).containsOnly(99);
        assertThat(busA.stats().reconnects()).isEqualTo(1);
        assertThat(busB.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void aNodeDoesNotStartWithoutItsRedis() throws Exception {
        int port = redis.port();
        redis.kill();
        RedisBus bus = new RedisBus("redis://127.0.0.1:" + port, "test:", 10);
        assertThatThrownBy(() -> new MemoryEngine(16, bus))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Redis at 127.0.0.1:" + port + " cannot be reached");
        assertThat(bus.isHealthy()).isFalse();
    }

    /** Waits until Redis counts the node's listening link on as many channels. */
    private void awaitListening(RedisBus bus, int channels) {
        assertThat(bus.listenedChannels()).isEqualTo(channels);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> numPatternsListened() >= channels);
    }

    private long numPatternsListened() throws Exception {
        // PUBSUB CHANNELS answers an array; its header line is "*<count>".
        return Long.parseLong(redis.command("PUBSUB", "CHANNELS", "test:*").substring(1));
    }

    private static int publish(MemoryEngine node, String channel, int n) {
        return TwoNodes.publish(node, channel, n);
    }

    private static ByteBuf delivery(String channel, int n) {
        return TwoNodes.delivery(channel, n);
    }

    /** Takes every queued message of {@code session} and returns their {@code data} numbers in order. */
    private static List<Integer> drainNumbers(Session session) {
        String json = TwoNodes.drain(session);
        List<Integer> numbers = new ArrayList<>();
        for (int at = json.indexOf("\"data\":"); at >= 0; at = json.indexOf("\"data\":", at + 1)) {
            numbers.add(Integer.parseInt(json.substring(at + 7, json.indexOf('}', at))));
        }
        return numbers;
    }
}
