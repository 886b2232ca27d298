package io.bayeuxd.bench.jmh;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.channel.MatchSet;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the body of every benchmark once by a plain call, with its set-up and tear-down, outside JMH:
 * the fixtures are what the Javadoc says, each op does its work, and every buffer taken from the
 * allocator is released by the end (the leak detector runs at PARANOID as well).
 */
class JmhBenchmarksTest {

    @Test
    void deflateFramesAreHalfTheRecordOrLessAndReleaseEveryBuffer() throws Exception {
        RecordingAllocator alloc = new RecordingAllocator();
        DeflateBenchmark bench = new DeflateBenchmark();
        bench.alloc = alloc;
        bench.setUp();
        int perConnection = bench.perConnection();
        int shared = bench.compressOnceShared();
        int first = bench.compressOnceFirst();
        bench.tearDown();

        assertThat(perConnection).isLessThan(DeflateBenchmark.RECORD.length() / 2);
        // The pieces [, record, ] cost a few bytes more than one stream of the whole frame.
        assertThat(shared).isEqualTo(first).isBetween(perConnection, perConnection + 16);
        assertThat(bench.frames.messagesCompressed()).isEqualTo(2);
        assertThat(bench.frames.compressedCopiesReused()).isEqualTo(1);
        assertThat(alloc.unreleasedCount()).isZero();
    }

    @Test
    void decodeReadsTheBatchOfTenAndTheConnect() {
        DecodeBenchmark bench = new DecodeBenchmark();
        bench.setUp();
        assertThat(bench.publishBatch.readableBytes()).isBetween(1700, 1900);
        List<Message> batch = bench.publishBatchOfTen();
        List<Message> connect = bench.connect();
        bench.tearDown();

        assertThat(batch).hasSize(10).allSatisfy(m -> {
            assertThat(m.channel()).isEqualTo(SampleMessages.CHANNEL);
            assertThat(m.data().bytes()).hasSize(SampleMessages.DATA_BYTES);
        });
        assertThat(connect).singleElement().satisfies(m -> assertThat(m.channel()).isEqualTo("/meta/connect"));
        assertThat(bench.publishBatch.refCnt()).isZero();
        assertThat(bench.connect.refCnt()).isZero();
    }

    @Test
    void encodeWritesWellFormedJsonAndReleasesEveryBuffer() {
        RecordingAllocator alloc = new RecordingAllocator();
        EncodeBenchmark bench = new EncodeBenchmark();
        bench.alloc = alloc;
        bench.setUp();
        int delivery = bench.encodeDelivery();
        int array = bench.writeReplyArray();
        List<Message> replies = new BayeuxDecoder().decode(bench.out);
        int frame = bench.replyFrame();
        bench.tearDown();

        assertThat(delivery).isGreaterThan(SampleMessages.DATA_BYTES);
        assertThat(replies).hasSize(10).allSatisfy(m -> assertThat(m.successful()).isTrue());
        assertThat(frame).isEqualTo(array);
        assertThat(alloc.allocatedCount()).isEqualTo(3);
        assertThat(alloc.unreleasedCount()).isZero();
    }

    @Test
    void matchFindsTheSubscribersTheParametersPromise() {
        Map<String, Integer> expected = Map.of(
                "/chat/room42", 13,
                "/users/u42/inbox", 2,
                "/stocks/nyse/s17", 122,
                "/game/g3/team0/player4/moves", 12,
                "/users/u99999/inbox", 0,
                "/news/sports", 0);
        ChannelMatchBenchmark bench = new ChannelMatchBenchmark();
        bench.setUp();
        ChannelMatchBenchmark.Matches matches = new ChannelMatchBenchmark.Matches();
        expected.forEach((channel, count) -> {
            bench.channel = channel;
            assertThat(bench.match(matches)).as(channel).isEqualTo(count);
        });
        assertThat(bench.trie.subscriptionCount()).isEqualTo(10_000);
    }

    @Test
    void resubscribeKeepsTheChannelWhole() {
        SubscribeChurnBenchmark bench = new SubscribeChurnBenchmark();
        bench.subscribers = 1_000;
        bench.setUp();
        for (int i = 0; i < 2_500; i++) {
            assertThat(bench.resubscribe()).isTrue();
        }
        assertThat(bench.trie.subscriptionCount()).isEqualTo(1_000);
        MatchSet<Object> out = new MatchSet<>();
        bench.trie.match("/broadcast", out);
        assertThat(out.size()).isEqualTo(1_000);
    }

    @Test
    void outboxProducersBackOffWhenFullAndEveryReferenceIsReleased() {
        RecordingAllocator alloc = new RecordingAllocator();
        OutboxBenchmark bench = new OutboxBenchmark();
        bench.alloc = alloc;
        bench.setUp();
        OutboxBenchmark.OfferCounts offers = new OutboxBenchmark.OfferCounts();
        OutboxBenchmark.DrainCounts drains = new OutboxBenchmark.DrainCounts();

        assertThat(bench.offer(offers)).isTrue();
        assertThat(bench.drain(drains)).isEqualTo(1);
        assertThat(bench.drain(drains)).isZero();
        while (bench.offer(offers)) {
            // Fill the outbox until it refuses.
        }
        assertThat(offers.offered).isEqualTo(1 + OutboxBenchmark.OUTBOX_CAPACITY);
        assertThat(offers.refused).isEqualTo(1);
        assertThat(bench.drain(drains)).isEqualTo(OutboxBenchmark.DRAIN_LIMIT);
        assertThat(bench.payload.refCnt()).isEqualTo(1 + OutboxBenchmark.OUTBOX_CAPACITY - OutboxBenchmark.DRAIN_LIMIT);
        // Tear-down closes the session with messages still queued.
        bench.tearDown();

        assertThat(drains.drained).isEqualTo(1 + OutboxBenchmark.DRAIN_LIMIT);
        assertThat(alloc.unreleasedCount()).isZero();
    }

    @Test
    void fanoutDeliversToEverySubscriberAndReleasesEveryBuffer() {
        for (int subscribers : new int[] {1, 100}) {
            RecordingAllocator alloc = new RecordingAllocator();
            FanoutBenchmark bench = new FanoutBenchmark();
            bench.subscribers = subscribers;
            bench.outboxCapacity = Integer.parseInt(defaultParam(FanoutBenchmark.class, "outboxCapacity"));
            bench.alloc = alloc;
            bench.setUp();
            int drained = bench.publishAndDrain();
            int frameBytes = bench.publishAndFrame();
            // One more publication, left queued for tear-down to release.
            ByteBuf leftOver = alloc.buffer().writeByte('x');
            bench.engine.publish(SampleMessages.CHANNEL, leftOver);
            leftOver.release();
            bench.tearDown();

            assertThat(drained).isEqualTo(subscribers);
            assertThat(frameBytes).isEqualTo(subscribers * (encodedSize() + 2));
            assertThat(alloc.unreleasedCount()).as("%d subscribers", subscribers).isZero();
        }
    }

    @Test
    void fanoutOutboxesDefaultToTheServersCapacity() {
        assertThat(Integer.parseInt(defaultParam(FanoutBenchmark.class, "outboxCapacity")))
                .isEqualTo(BrokerConfig.defaults().outboxCapacity());
    }

    private static String defaultParam(Class<?> benchmark, String field) {
        try {
            return benchmark.getDeclaredField(field).getAnnotation(Param.class).value()[0];
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static int encodedSize() {
        RecordingAllocator alloc = new RecordingAllocator();
        EncodeBenchmark bench = new EncodeBenchmark();
        bench.alloc = alloc;
        bench.setUp();
        int size = bench.encodeDelivery();
        bench.tearDown();
        return size;
    }

    @Test
    void historyKeepsAndRecoversAndReleasesEveryBuffer() {
        for (boolean history : new boolean[] {false, true}) {
            RecordingAllocator alloc = new RecordingAllocator();
            HistoryBenchmark bench = new HistoryBenchmark();
            bench.alloc = alloc;
            bench.subscribers = 3;
            bench.history = history;
            bench.setUp();
            assertThat(bench.publish()).isEqualTo(3 + 1);
            assertThat(bench.recover100()).isEqualTo(history ? 100 : 0);
            bench.tearDown();
            assertThat(alloc.unreleasedCount()).as("history %s", history).isZero();
        }
    }
}
