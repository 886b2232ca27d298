package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * A client that publishes timestamped messages, spreading them round-robin over the benchmark
 * channels, from the publishing start until the end of the measurement.
 *
 * <p>Paced mode ({@code --rate} above 0): a {@link RatePacer} gives each message its scheduled
 * time, which is also its timestamp, so a stall anywhere shows up as latency instead of silently
 * lowering the load. Unpaced mode ({@code --rate 0}): publish as fast as the in-flight window
 * allows, stamping the send time.
 *
 * <p>The in-flight window counts this publisher's publishes not yet acknowledged and, across all
 * publishers, deliveries owed but not yet seen (converted to messages by the average fan-out).
 * Each publisher gets an equal share of {@code --window}. A tick that finds the window full waits
 * for the next acknowledgement, or at most {@link #WINDOW_RECHECK_NS}.
 *
 * <p>Single writer: runs on its event loop; {@link #startPublishing()} is posted there.
 */
final class PublisherSession extends BayeuxSession {

    /** Most publishes written in one tick before yielding the loop to I/O. */
    static final int MAX_BATCH = 64;
    /** Shortest wait between paced ticks; below it, messages that fall due together go out together. */
    static final long MIN_TICK_NS = 50_000;
    static final long WINDOW_RECHECK_NS = 1_000_000;

    private final int index;
    private final long ratePerSec;
    private final long windowShare;
    private final long maxMessages;
    private final Runnable timerTickTask = this::onTimerTick;
    private final Runnable queuedTickTask = this::onQueuedTick;
    private RatePacer pacer;
    private boolean readyCounted;
    private boolean publishing;
    private boolean finished;
    /** A timer will call {@link #tick()}; at most one is pending, whoever else calls tick meanwhile. */
    private boolean timerTickPending;
    /** A task queued on the loop will call {@link #tick()}; at most one is pending. */
    private boolean queuedTickPending;
    private boolean waitingForWindow;
    private long inFlight;
    private long sequence;

    PublisherSession(RunContext run, LoopContext loop, int index) {
        super(run, loop, true);
        LoadConfig config = run.config;
        this.index = index;
        this.ratePerSec = config.ratePerSec() == 0 ? 0 : config.ratePerSecFor(index);
        this.windowShare = Math.max(1, config.window() / config.publishers());
        this.maxMessages = Math.max(1, config.maxMessages() / config.publishers());
    }

    @Override
    protected void onHandshaken() {
        ensureConnecting();
        if (!readyCounted) {
            readyCounted = true;
            run.stats.readyPublishers.incrementAndGet();
        }
        tick();
    }

    @Override
    protected void onSessionLost() {
        // Publishes awaiting a reply under the old client id will never get one.
        inFlight = 0;
    }

    /** Begins publishing at the timeline's publish start; posted to this session's loop. */
    void startPublishing() {
        if (publishing || finished) {
            return;
        }
        if (run.config.ratePerSec() > 0) {
            if (ratePerSec == 0) {
                finished = true; // fewer messages per second than publishers: this one has none
                return;
            }
            // Offset the publishers so that their messages interleave evenly.
            long offsetNs = index * 1_000_000_000L / run.config.ratePerSec();
            pacer = new RatePacer(ratePerSec, run.timeline.publishStartNs() + offsetNs);
        }
        publishing = true;
        tick();
    }

    boolean isFinished() {
        return finished;
    }

    @Override
    protected void onPublishReply(ServerMessage m) {
        if (inFlight > 0) {
            inFlight--;
        }
        run.stats.publishReplies.increment();
        if (!m.isSuccessful()) {
            run.stats.error(ErrorKind.PUBLISH, m.error);
            if (needsHandshake(m)) {
                rehandshake();
                return;
            }
        }
        if (waitingForWindow) {
            waitingForWindow = false;
            tick();
        }
    }

    private void onTimerTick() {
        timerTickPending = false;
        tick();
    }

    private void onQueuedTick() {
        queuedTickPending = false;
        tick();
    }

    /** Publishes what is due and fits the window, then arranges the next tick. */
    private void tick() {
        if (!publishing || finished) {
            return;
        }
        long nowNs = run.clock.nanoTime();
        if (nowNs >= run.timeline.measureEndNs() || sequence >= maxMessages || run.timeline.isStopping()) {
            publishing = false;
            finished = true;
            return;
        }
        if (!isHandshaken()) {
            return; // onHandshaken() ticks again; a pacer keeps its backlog with the original times
        }
        long due = pacer != null ? pacer.dueCount(nowNs) : MAX_BATCH;
        if (due == 0) {
            scheduleTick(Math.max(MIN_TICK_NS, pacer.nanosUntilNext(nowNs)));
            return;
        }
        long room = windowRoom();
        Link link = publishLink();
        if (room <= 0 || !link.isWritable()) {
            run.stats.windowStalls.increment();
            waitingForWindow = true;
            scheduleTick(WINDOW_RECHECK_NS);
            return;
        }
        int batch = (int) Math.min(Math.min(due, room), Math.min(MAX_BATCH, maxMessages - sequence));
        for (int i = 0; i < batch; i++) {
            long publishNs = pacer != null ? pacer.issueNext() : nowNs;
            publish(link, publishNs);
        }
        link.flush();
        if (batch == room) {
            waitingForWindow = true;
            scheduleTick(WINDOW_RECHECK_NS);
        } else if (pacer == null || pacer.dueCount(nowNs) > 0) {
            // More to send now: yield to I/O first, then continue.
            if (!queuedTickPending) {
                queuedTickPending = true;
                loop.loop.execute(queuedTickTask);
            }
        } else {
            scheduleTick(Math.max(MIN_TICK_NS, pacer.nanosUntilNext(nowNs)));
        }
    }

    private void publish(Link link, long publishNs) {
        int channel = (int) ((index + sequence) % run.config.channels());
        ByteBuf frame = link.alloc().buffer(encoder.publishSizeHint());
        encoder.publish(frame, nextMessageId(), channel, run.timeline.timestampOf(publishNs), sequence);
        sequence++;
        if (!link.send(frame)) {
            return;
        }
        inFlight++;
        // Read the subscriber count as the publish leaves: that many deliveries are owed.
        int owed = run.stats.subscribersOnChannel.get(channel);
        RunStats stats = run.stats;
        stats.publishedAll.increment();
        stats.expectedAll.add(owed);
        if (run.timeline.isMeasured(publishNs)) {
            stats.publishedMeasured.increment();
            stats.expectedMeasured.add(owed);
        }
    }

    /** Publishes this publisher may still put in flight. */
    private long windowRoom() {
        long ackRoom = windowShare - inFlight;
        if (run.config.clients() == 0) {
            return ackRoom;
        }
        long fanout = run.config.fanoutPerPublish();
        long deliveryRoom = (windowShare * fanout * run.config.publishers() - run.stats.outstandingDeliveries())
                / (fanout * run.config.publishers());
        return Math.min(ackRoom, deliveryRoom);
    }

    private void scheduleTick(long delayNs) {
        if (!timerTickPending) {
            timerTickPending = true;
            loop.loop.schedule(timerTickTask, delayNs, TimeUnit.NANOSECONDS);
        }
    }
}
