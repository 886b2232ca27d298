package io.bayeuxd.bench.soak;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who was owed which message, and who got it. Each tracked channel has one publisher, which numbers
 * its messages 0, 1, 2, … ({@code data.seq}); each tracked subscriber keeps the set of numbers it
 * received. A subscriber that was subscribed before the first publish is owed every number its
 * channel's publisher sent, so anything missing from its set is a lost message, whatever the order
 * of arrival.
 *
 * <p>Threads: {@link #published} is written by the channel's publisher on its event loop, and
 * {@link #record} by the subscriber on its own; {@link #summary()} is read once the event loops have
 * been quiesced (a task run on each loop after the last delivery), which orders those writes before
 * it. The running totals ({@link #deliveredSoFar()}, {@link #expectedSoFar()}) are safe to read at
 * any time, for progress and the drain.
 */
final class DeliveryLedger {

    /** Subscribers listed in {@link Summary#examples()}, at most. */
    static final int EXAMPLES = 5;

    private final int[] channelOf;
    private final BitSet[] received;
    private final boolean[] excluded;
    private final AtomicLongArray published;
    private final AtomicIntegerArray trackedOnChannel;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unexpected = new LongAdder();

    DeliveryLedger(int subscribers, int channels) {
        channelOf = new int[subscribers];
        received = new BitSet[subscribers];
        excluded = new boolean[subscribers];
        published = new AtomicLongArray(channels);
        trackedOnChannel = new AtomicIntegerArray(channels);
        for (int i = 0; i < subscribers; i++) {
            channelOf[i] = -1;
            received[i] = new BitSet();
        }
    }

    int subscribers() {
        return channelOf.length;
    }

    /** Subscriber {@code subscriber} listens on {@code channel}; call before publishing starts. */
    void assign(int subscriber, int channel) {
        channelOf[subscriber] = channel;
        trackedOnChannel.incrementAndGet(channel);
    }

    int channelOf(int subscriber) {
        return channelOf[subscriber];
    }

    /**
     * Leaves out a subscriber that was not subscribed when publishing started: it is owed nothing,
     * and the run counts it as a failure of its own. Call before publishing starts.
     */
    void exclude(int subscriber) {
        if (!excluded[subscriber] && channelOf[subscriber] >= 0) {
            excluded[subscriber] = true;
            trackedOnChannel.decrementAndGet(channelOf[subscriber]);
        }
    }

    /** The publisher of {@code channel} has now sent {@code count} messages to it (numbers 0 … count-1). */
    void published(int channel, long count) {
        published.set(channel, count);
    }

    long publishedOn(int channel) {
        return published.get(channel);
    }

    /** Subscriber {@code subscriber} received message {@code seq} of its channel; on its event loop. */
    void record(int subscriber, long seq) {
        if (excluded[subscriber]) {
            return;
        }
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            unexpected.increment();
            return;
        }
        BitSet set = received[subscriber];
        int bit = (int) seq;
        if (set.get(bit)) {
            duplicates.increment();
            return;
        }
        set.set(bit);
        delivered.increment();
    }

    long deliveredSoFar() {
        return delivered.sum();
    }

    /** Deliveries owed so far: for each channel, messages published times the subscribers tracked on it. */
    long expectedSoFar() {
        long expected = 0;
        for (int c = 0; c < published.length(); c++) {
            expected += published.get(c) * trackedOnChannel.get(c);
        }
        return expected;
    }

    /** The final account; read after the event loops have been quiesced. */
    Summary summary() {
        long expected = 0;
        long got = 0;
        long beyond = 0;
        int withLoss = 0;
        int excludedCount = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < channelOf.length; i++) {
            if (excluded[i]) {
                excludedCount++;
                continue;
            }
            int channel = channelOf[i];
            if (channel < 0) {
                continue;
            }
            long owed = published.get(channel);
            BitSet set = received[i];
            int inRange = owed >= Integer.MAX_VALUE ? set.cardinality() : set.get(0, (int) owed).cardinality();
            beyond += set.cardinality() - inRange;
            expected += owed;
            got += inRange;
            if (inRange < owed) {
                withLoss++;
                if (examples.size() < EXAMPLES) {
                    int firstMissing = set.nextClearBit(0);
                    examples.add("subscriber " + i + " on channel " + channel + ": " + (owed - inRange)
                            + " of " + owed + " missing, first #" + firstMissing);
                }
            }
        }
        return new Summary(expected, got, expected - got, duplicates.sum(), unexpected.sum() + beyond,
                withLoss, excludedCount, List.copyOf(examples));
    }

    /**
     * @param expected    deliveries owed to the tracked subscribers
     * @param delivered   distinct owed messages that arrived
     * @param lost        owed messages that never arrived
     * @param duplicates  messages that arrived more than once (counted once in delivered)
     * @param unexpected  numbers that were never published (bad {@code seq}, or beyond the last publish)
     * @param subscribersWithLoss tracked subscribers missing at least one message
     * @param excluded    subscribers not subscribed when publishing started, left out of the account
     * @param examples    a few of the subscribers with losses, described
     */
    record Summary(long expected, long delivered, long lost, long duplicates, long unexpected,
                   int subscribersWithLoss, int excluded, List<String> examples) {
    }
}
