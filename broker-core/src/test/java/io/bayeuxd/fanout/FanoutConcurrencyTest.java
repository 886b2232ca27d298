package io.bayeuxd.fanout;

import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several publisher threads fan out into the same outboxes while consumer event loops drain them: no
 * message is lost or duplicated, each publisher's messages arrive in its order, and every shared buffer
 * is released (the leak detector runs at PARANOID).
 */
class FanoutConcurrencyTest {
    private static final int PUBLISHERS = 4;
    private static final int MESSAGES = 1000;
    private static final int SESSIONS = 20;

    @Test
    void concurrentPublishersLoseNothingAndKeepPerPublisherOrder() throws Exception {
        EventLoopGroup consumers = new DefaultEventLoopGroup(2);
        MemoryEngine engine = new MemoryEngine(PUBLISHERS * MESSAGES);
        try {
            List<CheckingTarget> targets = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Session session = engine.createSession(false, 0);
                engine.subscribe(session, i % 2 == 0 ? "/load/*" : "/load/**");
                CheckingTarget target = new CheckingTarget(consumers.next());
                targets.add(target);
                session.attach(target);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        ByteBuf payload = ByteBufAllocator.DEFAULT.buffer(16);
                        payload.writeCharSequence(publisher + ":" + seq, StandardCharsets.US_ASCII);
                        try {
                            engine.publish("/load/x", payload);
                        } finally {
                            payload.release();
                        }
                    }
                }, "publisher-" + p);
                t.start();
                publishers.add(t);
            }
            start.countDown();
            for (Thread t : publishers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> targets.stream().allMatch(t -> t.total == PUBLISHERS * MESSAGES));
            for (CheckingTarget t : targets) {
                assertThat(t.errors).isEmpty();
            }
            assertThat(engine.droppedMessages()).isZero();
        } finally {
            engine.close();
            consumers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Drains on its event loop and checks each publisher's sequence numbers arrive in order. */
    private static final class CheckingTarget implements DeliveryTarget {
        private final EventExecutor executor;
        private final int[] next = new int[PUBLISHERS];
        final List<String> errors = new ArrayList<>();
        volatile int total;

        CheckingTarget(EventExecutor executor) {
            this.executor = executor;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public void onMessages(Session session) {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                int n = session.drainInto(out, 64, false);
                String[] parts = out.toString(StandardCharsets.US_ASCII).split(",");
                for (int i = 0; i < n; i++) {
                    String[] pq = parts[i].split(":");
                    int p = Integer.parseInt(pq[0]);
                    int seq = Integer.parseInt(pq[1]);
                    if (seq != next[p]) {
                        errors.add("publisher " + p + " expected " + next[p] + " got " + seq);
                    }
                    next[p] = seq + 1;
                }
                total += n;
            } finally {
                out.release();
            }
        }

        @Override
        public void onSessionClosed(Session session) {
        }
    }
}
