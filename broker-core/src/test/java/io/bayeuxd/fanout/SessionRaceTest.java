package io.bayeuxd.fanout;

import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link FanoutConcurrencyTest} keeps apart, raced: publishers offer numbered messages through
 * {@link MemoryEngine#publish} while targets on two event loops attach and detach in turn, each detached
 * target draining once more on its way out (as a held long-poll answers), and the session is closed in
 * the middle of it all or drained to the last message first.
 *
 * <p>Every drained message is logged from inside {@link Session#drainInto}, by the frame buffer it is
 * copied into, so the log is in the order the outbox gave the messages up. Per round it checks:
 * <ul>
 *   <li>every message offered successfully is delivered exactly once, in its publisher's order, or
 *       released by the close; a refused one is never delivered; every buffer ends with no reference
 *       (each is checked, stronger than waiting for the leak detector);</li>
 *   <li>no two drains take messages at once: the log holds each drain's messages in one run;</li>
 *   <li>{@code close()} returns; nothing published after it returned is accepted; no target hears of
 *       messages after it was told the session closed, and none attached after the close is woken;</li>
 *   <li>a drain scheduled for a target that was detached meanwhile leaves the messages for the next
 *       attach: without a close, the last target gets all that was accepted.</li>
 * </ul>
 * Interleavings are not reproducible; the rounds make the windows likely on two cores. The only time
 * limit is the hang guard.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SessionRaceTest {
    private static final int PUBLISHERS = 3;
    private static final int MESSAGES = 300;
    private static final int ROUNDS = 120;
    /** Small, so that offers are refused while no target is attached. */
    private static final int OUTBOX = 64;
    private static final String CHANNEL = "/race/x";
    /**
     * Sessions without targets that the same publishers fill and the closer closes one by one, each a
     * chance for a close to land between a publisher's check of {@code closed} and its offer.
     */
    private static final int BYSTANDERS = 8;

    private static DefaultEventLoop[] loops;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        loops = new DefaultEventLoop[] {new DefaultEventLoop(), new DefaultEventLoop()};
        threads = Executors.newFixedThreadPool(PUBLISHERS + 2);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        for (DefaultEventLoop loop : loops) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void closeRacingOffersAttachesAndDrainsLosesNothingAndLeaksNothing() throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            new Round(r, true).run();
        }
    }

    @Test
    void drainsForDetachedTargetsLeaveEverythingForTheNextAttach() throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            new Round(r, false).run();
        }
    }

    private static final class Round {
        final String name;
        final boolean closeMidStream;
        final MemoryEngine engine = new MemoryEngine(OUTBOX);
        final Session session = engine.createSession(false, 0);
        final MemoryEngine bystanderEngine = new MemoryEngine(PUBLISHERS * MESSAGES);
        final List<Session> bystanders = new ArrayList<>();
        final ByteBuf[][] messages = new ByteBuf[PUBLISHERS][MESSAGES];
        final boolean[][] accepted = new boolean[PUBLISHERS][MESSAGES];
        final boolean[][] publishedAfterClose = new boolean[PUBLISHERS][MESSAGES];
        final DrainLog log = new DrainLog(PUBLISHERS * MESSAGES);
        final List<RaceTarget> targets = new CopyOnWriteArrayList<>();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger drainIds = new AtomicInteger();
        volatile boolean publishersDone;
        volatile boolean closeReturned;
        volatile int discarded;
        /**
         * Whether targets that finish after the close still drain. In the rounds where they do not, an
         * offer that landed after the close and stayed queued shows as a buffer still referenced.
         */
        final boolean drainAfterClose;

        Round(int number, boolean closeMidStream) {
            this.name = (closeMidStream ? "close mid-stream" : "drain then close") + ", round " + number;
            this.closeMidStream = closeMidStream;
            this.drainAfterClose = number % 4 < 2;
            engine.subscribe(session, number % 2 == 0 ? "/race/*" : CHANNEL);
            for (int i = 0; i < BYSTANDERS; i++) {
                Session b = bystanderEngine.createSession(false, 0);
                bystanderEngine.subscribe(b, CHANNEL);
                bystanders.add(b);
            }
            for (int p = 0; p < PUBLISHERS; p++) {
                for (int seq = 0; seq < MESSAGES; seq++) {
                    messages[p][seq] = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 8, 8).writeInt(p).writeInt(seq);
                }
            }
        }

        void run() throws Exception {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                publishers.add(threads.submit(() -> {
                    go.await();
                    publish(publisher);
                    return null;
                }));
            }
            Future<?> churn = threads.submit(() -> {
                go.await();
                churn();
                return null;
            });
            Future<?> closer = threads.submit(() -> {
                go.await();
                closeMidStream();
                return null;
            });
            go.countDown();
            for (Future<?> f : publishers) {
                await(f);
            }
            publishersDone = true;
            await(churn);
            await(closer);
            if (!closeMidStream) {
                deliverTheRestToAFreshTarget();
                close();
            }
            quiesce();
            // First what the threads reported: a buffer released twice by the raced session fails later
            // releases of the same buffer, by the bystanders too.
            assertThat(errors).as(name).isEmpty();
            checkAfterClose();
            for (Session b : bystanders) {
                assertThat(b.isClosed()).as(name + ": bystander closed").isTrue();
                assertThat(b.queuedMessages()).as(name + ": queued for a closed bystander").isZero();
            }
            check();
            engine.close();
            bystanderEngine.close();
        }

        private void publish(int publisher) {
            for (int seq = 0; seq < MESSAGES; seq++) {
                ByteBuf m = messages[publisher][seq];
                publishedAfterClose[publisher][seq] = closeReturned;
                try {
                    accepted[publisher][seq] = engine.publish(CHANNEL, m) == 1;
                    bystanderEngine.publish(CHANNEL, m);
                } catch (Throwable e) {
                    errors.add("publish " + publisher + ":" + seq + " threw " + e);
                } finally {
                    m.release();
                }
                published.incrementAndGet();
            }
        }

        /**
         * Hands the session from target to target until the publishers are done (and, in a round that
         * closes mid-stream, a little past the close): the old one detaches and drains once more on its
         * loop while the new one attaches on its own, or on the same loop.
         */
        private void churn() throws Exception {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            RaceTarget current = null;
            int afterClose = 0;
            for (int i = 0; i < 5_000 && !publishersDone && afterClose < 20; i++) {
                if (closeReturned) {
                    afterClose++;
                }
                RaceTarget next = random.nextInt(5) == 0 ? null : new RaceTarget(this, loops[random.nextInt(2)], 1 + random.nextInt(16));
                Future<?> finished = current == null ? null : current.loop.submit(current::finish);
                Future<?> attached = next == null ? null : next.loop.submit(next::attach);
                await(finished);
                await(attached);
                current = next;
            }
            if (!closeMidStream && current != null && random.nextBoolean()) {
                // Leave the last one attached sometimes: the fresh target must take over from it.
                return;
            }
            if (current != null) {
                await(current.loop.submit(current::finish));
            }
        }

        /**
         * Closes the bystanders one by one while the publishers run, and the raced session among them in
         * a round that closes mid-stream.
         */
        private void closeMidStream() {
            List<Session> toClose = new ArrayList<>(bystanders);
            if (closeMidStream) {
                toClose.add(ThreadLocalRandom.current().nextInt(toClose.size() + 1), session);
            }
            int total = PUBLISHERS * MESSAGES;
            for (int i = 0; i < toClose.size(); i++) {
                int at = total * (i + 1) / (toClose.size() + 1);
                while (published.get() < at) {
                    Thread.onSpinWait();
                }
                Session s = toClose.get(i);
                if (s == session) {
                    close();
                    continue;
                }
                try {
                    // Mostly close() itself: destroySession unsubscribes first, which keeps most offers away.
                    if (i % 4 == 3) {
                        bystanderEngine.destroySession(s);
                    } else {
                        s.close();
                    }
                } catch (Throwable e) {
                    errors.add("closing a bystander threw " + e);
                }
            }
        }

        private void close() {
            try {
                if (ThreadLocalRandom.current().nextInt(4) != 0) {
                    discarded = session.close();
                } else {
                    assertThat(engine.destroySession(session)).isTrue();
                    discarded = (int) engine.discardedMessages();
                }
            } catch (Throwable e) {
                errors.add("close threw " + e);
            }
            closeReturned = true;
        }

        /** With the publishers stopped, a fresh target must get every accepted message not yet delivered. */
        private void deliverTheRestToAFreshTarget() {
            RaceTarget last = new RaceTarget(this, loops[ThreadLocalRandom.current().nextInt(2)], 16);
            await(last.loop.submit(last::attach));
            int acceptedCount = count(accepted);
            // Each turn of both loops runs at least one pending drain; far more turns than messages left.
            for (int turn = 0; turn < 10 * OUTBOX && log.size() < acceptedCount; turn++) {
                quiesce();
            }
            assertThat(errors).as(name).isEmpty();
            assertThat(log.size()).as(name + ": delivered once the last target attached").isEqualTo(acceptedCount);
        }

        /** Lets every task queued on the loops (and the drains they queue in turn) run. */
        private void quiesce() {
            for (int i = 0; i < 3; i++) {
                for (DefaultEventLoop loop : loops) {
                    await(loop.submit(() -> { }));
                }
            }
        }

        /** A target attached after the close is not woken, and nothing is left to drain. */
        private void checkAfterClose() {
            assertThat(session.isClosed()).as(name).isTrue();
            if (!drainAfterClose) {
                assertThat(session.queuedMessages()).as(name + ": queued after the close").isZero();
            }
            RaceTarget late = new RaceTarget(this, loops[0], 16);
            await(late.loop.submit(late::attach));
            session.wake();
            quiesce();
            int before = log.size();
            await(late.loop.submit(late::finish));
            assertThat(log.size()).as(name + ": drained after the close").isEqualTo(before);
            assertThat(session.queuedMessages()).as(name + ": queued after the close").isZero();
        }

        private void check() {
            assertThat(errors).as(name).isEmpty();
            assertThat(log.overflow()).as(name + ": more drained than published").isZero();
            int[] nextSeq = new int[PUBLISHERS];
            BitSet delivered = new BitSet(PUBLISHERS * MESSAGES);
            BitSet finishedDrains = new BitSet();
            int drain = -1;
            for (int i = 0; i < log.size(); i++) {
                int p = log.publisher[i];
                int seq = log.seq[i];
                String what = name + ": delivery " + i + " (" + p + ":" + seq + ", drain " + log.drain[i] + ")";
                if (log.drain[i] != drain) {
                    if (drain >= 0) {
                        finishedDrains.set(drain);
                    }
                    drain = log.drain[i];
                    assertThat(finishedDrains.get(drain)).as(what + " interleaves with another drain").isFalse();
                }
                assertThat(delivered.get(p * MESSAGES + seq)).as(what + " again").isFalse();
                delivered.set(p * MESSAGES + seq);
                assertThat(accepted[p][seq]).as(what + " was refused").isTrue();
                assertThat(seq).as(what + " out of its publisher's order").isGreaterThanOrEqualTo(nextSeq[p]);
                nextSeq[p] = seq + 1;
            }
            int acceptedCount = 0;
            for (int p = 0; p < PUBLISHERS; p++) {
                for (int seq = 0; seq < MESSAGES; seq++) {
                    String what = name + ": " + p + ":" + seq;
                    assertThat(messages[p][seq].refCnt()).as(what + " still referenced").isZero();
                    if (publishedAfterClose[p][seq]) {
                        assertThat(accepted[p][seq]).as(what + " accepted after close() returned").isFalse();
                    }
                    if (accepted[p][seq]) {
                        acceptedCount++;
                    }
                }
            }
            // The rest was released: by close(), or by an offer that saw the close right after it landed.
            assertThat(discarded).as(name + ": released by close").isBetween(0, acceptedCount - log.size());
            if (!closeMidStream) {
                assertThat(log.size()).as(name + ": delivered").isEqualTo(acceptedCount);
            }
            int toldClosed = 0;
            for (RaceTarget t : targets) {
                toldClosed += t.toldClosed ? 1 : 0;
                if (t.attachedAfterClose) {
                    assertThat(t.woken).as(name + ": a target attached after the close was woken").isZero();
                }
            }
            assertThat(toldClosed).as(name + ": targets told of the close").isLessThanOrEqualTo(1);
        }

        private static int count(boolean[][] flags) {
            int n = 0;
            for (boolean[] row : flags) {
                for (boolean f : row) {
                    n += f ? 1 : 0;
                }
            }
            return n;
        }

        /** Waits for a task of a loop or a thread; a task that fails or hangs fails the round. */
        private void await(Future<?> f) {
            if (f == null) {
                return;
            }
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                errors.add("task failed: " + e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(name + ": task did not finish", e);
            }
        }
    }

    /**
     * A delivery target on one event loop: drains a batch each time it is woken, and once more when it
     * finishes (detaches), as a held long-poll answers with what is queued.
     */
    private static final class RaceTarget implements DeliveryTarget {
        final Round round;
        final DefaultEventLoop loop;
        final int batch;
        // Loop thread only, read after the loop quiesced.
        boolean attachedAfterClose;
        boolean finished;
        boolean toldClosed;
        int woken;

        RaceTarget(Round round, DefaultEventLoop loop, int batch) {
            this.round = round;
            this.loop = loop;
            this.batch = batch;
            round.targets.add(this);
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        void attach() {
            attachedAfterClose = round.closeReturned;
            round.session.attach(this);
        }

        void finish() {
            if (!finished) {
                finished = true;
                round.session.detach(this);
                if (!round.closeReturned || round.drainAfterClose) {
                    drain(Integer.MAX_VALUE);
                }
            }
        }

        @Override
        public void onMessages(Session session) {
            woken++;
            if (finished) {
                round.errors.add("woken after it detached");
            }
            drain(batch);
        }

        @Override
        public void onSessionClosed(Session session) {
            if (toldClosed) {
                round.errors.add("told twice of the close");
            }
            toldClosed = true;
            finished = true;
        }

        private void drain(int limit) {
            if (!loop.inEventLoop()) {
                round.errors.add("drained off its loop");
            }
            Frame out = new Frame(this, round.drainIds.getAndIncrement());
            try {
                int n = round.session.drainInto(out, limit, false);
                if (n != out.copied) {
                    round.errors.add("drainInto said " + n + " but copied " + out.copied);
                }
                if (n > 0 && toldClosed) {
                    round.errors.add("delivered after the target was told of the close");
                }
            } catch (Throwable e) {
                round.errors.add("drain threw " + e);
            } finally {
                out.release();
            }
        }
    }

    /** A frame buffer that logs each message copied into it: from inside the drain, in outbox order. */
    private static final class Frame extends UnpooledHeapByteBuf {
        private final RaceTarget target;
        private final int drain;
        int copied;

        Frame(RaceTarget target, int drain) {
            super(UnpooledByteBufAllocator.DEFAULT, 64, Integer.MAX_VALUE);
            this.target = target;
            this.drain = drain;
        }

        @Override
        public ByteBuf writeBytes(ByteBuf src, int srcIndex, int length) {
            target.round.log.add(drain, src.getInt(srcIndex), src.getInt(srcIndex + 4));
            copied++;
            // A slow copy: lets the other threads run in the middle of the drain.
            Thread.yield();
            return super.writeBytes(src, srcIndex, length);
        }
    }

    /** Deliveries in the order the drains logged them; written by the drains, read after the loops quiesced. */
    private static final class DrainLog {
        final int[] drain;
        final int[] publisher;
        final int[] seq;
        private final AtomicInteger next = new AtomicInteger();

        DrainLog(int capacity) {
            drain = new int[capacity];
            publisher = new int[capacity];
            seq = new int[capacity];
        }

        void add(int drainId, int p, int s) {
            int i = next.getAndIncrement();
            if (i < drain.length) {
                drain[i] = drainId;
                publisher[i] = p;
                seq[i] = s;
            }
        }

        int size() {
            return Math.min(next.get(), drain.length);
        }

        int overflow() {
            return Math.max(0, next.get() - drain.length);
        }
    }
}
