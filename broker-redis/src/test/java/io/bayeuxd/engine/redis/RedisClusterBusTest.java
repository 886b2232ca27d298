package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.session.Session;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes on a real three-master Redis Cluster, with sharded pub/sub. */
class RedisClusterBusTest {
    @TempDir
    Path dir;
    private RedisClusterProcesses cluster;
    private TwoNodes nodes;
    private RedisBus busA;
    private RedisBus busB;
    private MemoryEngine nodeA;
    private MemoryEngine nodeB;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(RedisClusterProcesses.isInstalled(), "redis-server or redis-cli is not installed: Redis Cluster tests skipped");
        cluster = RedisClusterProcesses.start(dir);
        nodes = new TwoNodes(cluster.url());
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
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void publicationsOnChannelsOfEveryShardReachTheOtherNodeOnceAndInOrder() throws Exception {
        // Forty channels: their Redis channels (and those of the patterns) hash to slots of all three shards.
        List<String> channels = IntStream.range(0, 40).mapToObj(i -> "/room/" + i + "/chat").toList();
        assertThat(shardsOf(channels)).as("shards the channels' slots belong to").isEqualTo(3);
        Session exact = nodeB.createSession(false, 0);
        channels.forEach(c -> nodeB.subscribe(exact, c));
        // Three matching patterns on three shards: three copies of each frame reach node B.
        Session overlapping = nodeB.createSession(false, 0);
        nodeB.subscribe(overlapping, "/room/**");
        nodeB.subscribe(overlapping, "/room/7/*");
        nodeB.subscribe(overlapping, "/**");
        awaitListening();

        int perChannel = 10;
        for (int n = 0; n < perChannel; n++) {
            for (String c : channels) {
                publish(nodeA, c, n);
            }
        }
        int total = perChannel * channels.size();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> busA.stats().publicationsSent() == total);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> exact.queuedMessages() >= total && overlapping.queuedMessages() >= total);
        // Publications on one channel keep their order; across channels, arrival may interleave.
        assertThat(perChannelOrder(drain(exact), channels.size())).isTrue();
        List<String> got = drain(overlapping);
        assertThat(got).hasSize(total);
        assertThat(perChannelOrder(got, channels.size())).isTrue();
        assertThat(busB.stats().publicationsReceived()).isEqualTo(total);
    }

    @Test
    void aMessageToAllNodesReachesTheOtherOneAndAFirstSubscriptionIsConfirmed() throws Exception {
        List<byte[]> atB = new CopyOnWriteArrayList<>();
        busB.onNodeMessage(atB::add);
        assertThat(busA.sendToAllNodes(new byte[] {42}).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> atB.size() == 1);
        assertThat(atB.get(0)).containsExactly(42);

        io.bayeuxd.session.Session s = nodeA.createSession(false, 0);
        nodeA.subscribe(s, "/confirmed/here");
        java.util.concurrent.CompletionStage<?> listening = busA.listening("/confirmed/here");
        if (listening != null) {
            listening.toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(busA.listening("/confirmed/here")).isNull();
    }

    @Test
    void aNodeMessageReachesItsNodeAndSaysWhenNobodyListens() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        busB.onNodeMessage(received::add);
        assertThat(busA.sendToNode(busB.nodeToken(), "hello".getBytes(StandardCharsets.UTF_8)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(new String(received.get(0), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(busA.sendToNode("zzzzzzz", new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();
    }

    private void awaitListening() throws Exception {
        // PUBSUB SHARDCHANNELS is per shard: sum the channels every master knows.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            int n = 0;
            for (int port : cluster.ports()) {
                String out = RedisClusterProcesses.cli(port, "PUBSUB", "SHARDCHANNELS", "test:/*").strip();
                n += out.isEmpty() ? 0 : out.split("\n").length;
            }
            return n >= 43;
        });
    }

    private int shardsOf(List<String> channels) throws Exception {
        Set<String> owners = new HashSet<>();
        for (String c : channels) {
            String slot = RedisClusterProcesses.cli(cluster.ports().get(0), "CLUSTER", "KEYSLOT", "test:" + c).strip();
            int s = Integer.parseInt(slot);
            owners.add(s < 5461 ? "a" : s < 10923 ? "b" : "c");
        }
        return owners.size();
    }

    private static void publish(MemoryEngine node, String channel, int n) {
        TwoNodes.publish(node, channel, n);
    }

    /** The queued messages of {@code session}, each as "channel=n". */
    private static List<String> drain(Session session) {
        String json = TwoNodes.drain(session);
        List<String> items = new ArrayList<>();
        for (int at = json.indexOf("\"channel\":\""); at >= 0; at = json.indexOf("\"channel\":\"", at + 1)) {
            int end = json.indexOf('"', at + 11);
            int data = json.indexOf("\"data\":", end);
            items.add(json.substring(at + 11, end) + "=" + json.substring(data + 7, json.indexOf('}', data)));
        }
        return items;
    }

    /** Whether, for each channel, its numbers arrived as 0, 1, 2... with none missing or repeated. */
    private static boolean perChannelOrder(List<String> items, int channels) {
        java.util.Map<String, Integer> next = new java.util.HashMap<>();
        for (String item : items) {
            String channel = item.substring(0, item.indexOf('='));
            int n = Integer.parseInt(item.substring(item.indexOf('=') + 1));
            if (n != next.getOrDefault(channel, 0)) {
                return false;
            }
            next.put(channel, n + 1);
        }
        return next.size() == channels;
    }
}
