package io.bayeuxd.session;

import io.bayeuxd.protocol.AckExt;
import io.bayeuxd.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch bookkeeping of acknowledged delivery, through {@link Session} as the frame writer drives it. */
class AcknowledgedBatchesTest {
    private final LongAdder resent = new LongAdder();
    private final Session session = new Session("c1", false, 8, 0);
    private final List<ByteBuf> published = new ArrayList<>();

    AcknowledgedBatchesTest() {
        session.acknowledgeBatches(resent);
    }

    @AfterEach
    void everyReferenceIsReleasedOnClose() {
        session.close();
        for (ByteBuf b : published) {
            assertThat(b.refCnt()).as("the publisher's own reference only").isEqualTo(1);
            b.release();
        }
    }

    /** Offers a message the way the fan-out does: one reference for the outbox, the publisher keeps its own. */
    private boolean publish(String s) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer();
        b.writeCharSequence(s, StandardCharsets.UTF_8);
        published.add(b);
        b.retain();
        if (!session.offer(b)) {
            b.release();
            return false;
        }
        return true;
    }

    /** One batch of at most {@code limit}: its messages and the number written into the connect reply. */
    private Batch batch(int limit) {
        Message reply = new Message().channel("/meta/connect").successful(true);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            int n = session.drainBatchInto(out, limit, false, reply);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text.isEmpty() ? 0 : text.split(",").length).isEqualTo(n);
            return new Batch(text, AckExt.acknowledgedBatch(reply.ext()));
        } finally {
            out.release();
        }
    }

    private record Batch(String messages, long number) {
    }

    @Test
    void batchesAreNumberedFromOneAndAnAcknowledgementReleasesThem() {
        publish("a");
        publish("b");
        Batch first = batch(10);
        assertThat(first).isEqualTo(new Batch("a,b", 1));
        assertThat(session.unacknowledgedMessages()).isEqualTo(2);
        assertThat(published.get(0).refCnt()).as("kept, not released by the write").isEqualTo(2);

        session.acknowledge(1);
        assertThat(session.unacknowledgedMessages()).isZero();
        assertThat(published.get(0).refCnt()).isEqualTo(1);
        assertThat(session.hasQueuedMessages()).isFalse();

        publish("c");
        assertThat(batch(10)).isEqualTo(new Batch("c", 2));
        assertThat(resent.sum()).isZero();
    }

    @Test
    void anUnacknowledgedBatchGoesOutAgainFirstThenNewMessages() {
        publish("a");
        assertThat(batch(10)).isEqualTo(new Batch("a", 1));
        publish("b");
        // The reply of batch 1 was lost: the client's next connect acknowledges the batch before it.
        session.acknowledge(0);
        assertThat(session.hasQueuedMessages()).isTrue();
        assertThat(batch(10)).isEqualTo(new Batch("a,b", 2));
        assertThat(resent.sum()).isEqualTo(1);
        session.acknowledge(2);
        assertThat(session.unacknowledgedMessages()).isZero();
    }

    @Test
    void anEmptyBatchIsNumberedAndKeepsNothing() {
        assertThat(batch(10)).isEqualTo(new Batch("", 1));
        session.acknowledge(1);
        publish("a");
        assertThat(batch(10)).isEqualTo(new Batch("a", 2));
    }

    @Test
    void anAcknowledgementOfAnOlderBatchReleasesNothing() {
        publish("a");
        batch(10);
        publish("b");
        // Two replies raced (a client gave up on a connect being answered): both batches went out.
        assertThat(batch(10)).isEqualTo(new Batch("a,b", 2));
        session.acknowledge(1);
        assertThat(session.unacknowledgedMessages()).isEqualTo(2);
        assertThat(batch(10)).isEqualTo(new Batch("a,b", 3));
        session.acknowledge(3);
        assertThat(session.unacknowledgedMessages()).isZero();
    }

    @Test
    void aBatchCutByTheFrameLimitLeavesTheRestForTheNext() {
        for (String s : List.of("a", "b", "c", "d", "e")) {
            publish(s);
        }
        assertThat(batch(2)).isEqualTo(new Batch("a,b", 1));
        session.acknowledge(0);
        // Kept a, b come first; the limit leaves no room for new ones.
        assertThat(batch(2)).isEqualTo(new Batch("a,b", 2));
        session.acknowledge(2);
        assertThat(batch(2)).isEqualTo(new Batch("c,d", 3));
        assertThat(batch(2)).as("3 was never acknowledged, so it is sent again").isEqualTo(new Batch("c,d", 4));
        session.acknowledge(4);
        assertThat(batch(2)).isEqualTo(new Batch("e", 5));
        session.acknowledge(5);
        assertThat(session.hasQueuedMessages()).isFalse();
    }

    @Test
    void atMostTheOutboxCapacityIsKeptAndThenTheOutboxFills() {
        for (int i = 0; i < 8; i++) {
            assertThat(publish("m" + i)).isTrue();
        }
        assertThat(batch(100).messages().split(",")).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(publish("n" + i)).isTrue();
        }
        assertThat(publish("over")).as("outbox full while 8 are unacknowledged").isFalse();
        // Never acknowledged: the batch carries the kept 8 again and takes nothing new.
        assertThat(batch(100).messages()).isEqualTo("m0,m1,m2,m3,m4,m5,m6,m7");
        assertThat(session.queuedMessages()).isEqualTo(8);
        session.acknowledge(2);
        assertThat(batch(100).messages()).isEqualTo("n0,n1,n2,n3,n4,n5,n6,n7");
    }

    @Test
    void closeReleasesKeptAndQueuedAndABatchAfterItTakesNothing() {
        publish("a");
        batch(10);
        publish("b");
        assertThat(session.close()).isEqualTo(2);
        assertThat(batch(10).messages()).isEmpty();
        assertThat(publish("c")).isFalse();
    }
}
