package io.bayeuxd.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class SessionSubscriptionsTest {
    private final SessionSubscriptions subs = new SessionSubscriptions();

    @Test
    void addsOnceRemovesOnceAndKeepsOrder() {
        assertThat(subs.add("/a", 0)).isTrue();
        assertThat(subs.add("/b/*", 0)).isTrue();
        assertThat(subs.add("/a", 0)).as("already there").isFalse();
        assertThat(subs.snapshot()).containsExactly("/a", "/b/*");
        assertThat(subs.remove("/c")).isFalse();
        assertThat(subs.remove("/a")).isTrue();
        assertThat(subs.contains("/a")).isFalse();
        assertThat(subs.size()).isEqualTo(1);
        assertThat(subs.remove("/b/*")).isTrue();
        assertThat(subs.snapshot()).isEmpty();
    }

    @Test
    void eachSubscriptionKeepsItsOwnTimeThroughRemovalsOfOthers() {
        subs.add("/a", 100);
        subs.add("/b", 200);
        subs.add("/c", 300);
        assertThat(subs.add("/b", 999)).isFalse();
        assertThat(subs.since("/b")).as("a repeated subscribe keeps the first time").isEqualTo(200);
        subs.remove("/a");
        assertThat(subs.since("/b")).isEqualTo(200);
        assertThat(subs.since("/c")).isEqualTo(300);
        assertThat(subs.since("/a")).isEqualTo(-1);
        subs.remove("/c");
        assertThat(subs.since("/b")).isEqualTo(200);
    }

    @Test
    void aSnapshotDoesNotChangeAfterwards() {
        subs.add("/a", 0);
        List<String> before = subs.snapshot();
        subs.add("/b", 0);
        subs.remove("/a");
        assertThat(before).containsExactly("/a");
    }

    @Test
    void concurrentChangesAreNeitherLostNorDoubled() throws InterruptedException {
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    String channel = "/t" + id + "/" + i;
                    assertThat(subs.add(channel, 0)).isTrue();
                    if (i % 2 == 0) {
                        assertThat(subs.remove(channel)).isTrue();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(subs.size()).isEqualTo(threads * perThread / 2);
        assertThat(subs.snapshot()).doesNotHaveDuplicates().allMatch(c -> Integer.parseInt(c.substring(c.lastIndexOf('/') + 1)) % 2 == 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
