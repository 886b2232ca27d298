package io.bayeuxd.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTest {
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final Session session = new Session("c1", false, 8, 0);

    @AfterEach
    void close() {
        session.close();
        loop.finishAndReleaseAll();
    }

    private static ByteBuf text(String s) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer();
        b.writeCharSequence(s, StandardCharsets.UTF_8);
        return b;
    }

    @Test
    void messagesWaitWithoutTargetAndFlowOnAttachInOneBatch() {
        assertThat(session.offer(text("1"))).isTrue();
        assertThat(session.offer(text("2"))).isTrue();
        Recorder r = new Recorder();
        session.attach(r);
        assertThat(r.batches).isEmpty();
        loop.runPendingTasks();
        assertThat(r.batches).containsExactly("1,2");
    }

    @Test
    void replaysGoAheadOfLiveMessagesAlsoForAcknowledgedSessions() {
        for (boolean acknowledged : new boolean[] {false, true}) {
            Session s = new Session("c" + acknowledged, false, 8, 0);
            if (acknowledged) {
                s.acknowledgeBatches(new java.util.concurrent.atomic.LongAdder());
            }
            assertThat(s.offer(text("live1"))).isTrue();
            assertThat(s.offerReplays(List.of(text("old1"), text("old2")), 4)).isTrue();
            List<ByteBuf> tooMany = List.of(text("a"), text("b"), text("c"));
            assertThat(s.offerReplays(tooMany, 4)).as("over the replay limit: refused, the caller keeps them").isFalse();
            tooMany.forEach(ByteBuf::release);
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            int n = acknowledged
                    ? s.drainBatchInto(out, 10, false, new io.bayeuxd.protocol.Message().channel("/meta/connect"))
                    : s.drainInto(out, 10, false);
            assertThat(n).isEqualTo(3);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("old1,old2,live1");
            out.release();
            s.close();
        }
    }

    @Test
    void wakesOnceForManyOffers() {
        Recorder r = new Recorder();
        session.attach(r);
        for (int i = 0; i < 5; i++) {
            session.offer(text(Integer.toString(i)));
        }
        loop.runPendingTasks();
        assertThat(r.batches).containsExactly("0,1,2,3,4");
    }

    @Test
    void fullOutboxRefusesAndLeavesOwnershipWithCaller() {
        for (int i = 0; i < 8; i++) {
            assertThat(session.offer(text("m"))).isTrue();
        }
        ByteBuf extra = text("x");
        assertThat(session.offer(extra)).isFalse();
        assertThat(extra.refCnt()).isEqualTo(1);
        extra.release();
    }

    @Test
    void closeReleasesQueuedMessagesAndTellsTheTarget() {
        ByteBuf shared = text("shared");
        shared.retain(2);
        session.offer(shared);
        session.offer(shared);
        Recorder r = new Recorder();
        session.attach(r);
        session.close();
        loop.runPendingTasks();
        assertThat(shared.refCnt()).isEqualTo(1);
        assertThat(r.closed).isTrue();
        assertThat(r.batches).isEmpty();
        assertThat(session.offer(shared)).isFalse();
        shared.release();
    }

    @Test
    void detachedSessionKeepsMessagesForTheNextTarget() {
        Recorder first = new Recorder();
        session.attach(first);
        assertThat(session.detach(first)).isTrue();
        session.offer(text("later"));
        loop.runPendingTasks();
        assertThat(first.batches).isEmpty();
        Recorder second = new Recorder();
        session.attach(second);
        loop.runPendingTasks();
        assertThat(second.batches).containsExactly("later");
    }

    private final class Recorder implements DeliveryTarget {
        final List<String> batches = new ArrayList<>();
        boolean closed;

        @Override
        public EventExecutor executor() {
            return loop.eventLoop();
        }

        @Override
        public void onMessages(Session s) {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                if (s.drainInto(out, 100, false) > 0) {
                    batches.add(out.toString(StandardCharsets.UTF_8));
                }
            } finally {
                out.release();
            }
        }

        @Override
        public void onSessionClosed(Session s) {
            closed = true;
        }
    }
}
