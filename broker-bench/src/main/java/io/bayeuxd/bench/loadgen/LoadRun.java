package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load test from start to end, in phases, on the calling thread:
 * <ol>
 *   <li>ramp: subscribers start at {@code --connect-rate} and each handshakes, subscribes and
 *       starts its connect loop; the phase ends when all are subscribed or at the ramp deadline;</li>
 *   <li>hold ({@code --hold}): subscribers stay connected and idle; an idle run ({@code --publishers 0})
 *       ends here;</li>
 *   <li>publishers handshake;</li>
 *   <li>warm-up: publishers publish, nothing is recorded;</li>
 *   <li>measurement: what is published in it is counted, and its deliveries timed;</li>
 *   <li>drain: publishing stops; wait for outstanding deliveries up to {@code --drain};</li>
 *   <li>close: sessions disconnect, the event loops stop.</li>
 * </ol>
 * Every phase has a deadline, so a run always ends by itself.
 */
final class LoadRun {

    private static final long POLL_MS = 10;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** Gap between the publish schedule being set and the first publish, so every publisher sees it in time. */
    private static final long PUBLISH_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long CLOSE_GRACE_MS = 300;

    private final LoadConfig config;
    private final NanoClock clock;
    private final PrintStream progress;
    private final Histogram latencyTotalUs = LoopContext.newHistogram();
    private final Histogram latencyIntervalUs = LoopContext.newHistogram();
    private List<LoopContext> loops;
    private RunStats stats;
    private RunTimeline timeline;
    private RampAndHold rampAndHold;
    private long nextProgressNs;
    private long lastProgressNs;
    private long lastPublished;
    private long lastDelivered;
    private double loadgenCpuCores = -1;

    /** @param progress where one progress line per second goes; null for none */
    LoadRun(LoadConfig config, PrintStream progress) {
        this.config = config;
        this.clock = NanoClock.SYSTEM;
        this.progress = progress;
    }

    RunResult run() throws InterruptedException {
        stats = new RunStats(config.channels());
        timeline = new RunTimeline(clock.nanoTime());
        try (IoRuntime io = new IoRuntime(config.ioThreads())) {
            loops = new ArrayList<>();
            io.loops().forEach(loop -> loops.add(new LoopContext(loop)));
            List<LinkOpener> serverLinks = new ArrayList<>(config.servers().size());
            for (ServerUrl server : config.servers()) {
                serverLinks.add(new LinkFactory(server, io.channelClass(), config.deflate()));
            }
            RunContext context = new RunContext(config, stats, timeline, clock, serverLinks);
            List<SubscriberSession> subscribers = newSubscribers(context, loops);
            List<PublisherSession> publishers = new ArrayList<>(config.publishers());
            for (int i = 0; i < config.publishers(); i++) {
                // Offset publishers from subscribers so that a single-loop run and a multi-loop run both spread them.
                publishers.add(new PublisherSession(context, loops.get((config.clients() + i) % loops.size()), i));
            }
            rampAndHold = new RampAndHold(context, progress);
            try {
                return runPhases(io, subscribers, publishers);
            } finally {
                timeline.stop();
                subscribers.forEach(s -> s.loop.loop.execute(s::close));
                publishers.forEach(p -> p.loop.loop.execute(p::close));
                Thread.sleep(CLOSE_GRACE_MS);
            }
        }
    }

    /**
     * Subscriber {@code i} listens on channel {@code i % channels}, runs on loop {@code i % loops} and
     * talks to the server {@link LoadConfig#serverOfSubscriber(int)} names.
     */
    static List<SubscriberSession> newSubscribers(RunContext context, List<LoopContext> loops) {
        LoadConfig config = context.config;
        List<SubscriberSession> subscribers = new ArrayList<>(config.clients());
        for (int i = 0; i < config.clients(); i++) {
            subscribers.add(new SubscriberSession(context, loops.get(i % loops.size()), i % config.channels(),
                    context.subscriberLinks(config.serverOfSubscriber(i))));
        }
        return subscribers;
    }

    private RunResult runPhases(IoRuntime io, List<SubscriberSession> subscribers, List<PublisherSession> publishers)
            throws InterruptedException {
        rampAndHold.ramp(subscribers);
        if (config.clients() > 0 && stats.subscribedClients.get() == 0) {
            return notCompleted(io, "no subscriber got subscribed within the ramp deadline");
        }
        if (config.holdMs() > 0) {
            double holdCores = rampAndHold.hold(1);
            if (config.publishers() == 0) {
                loadgenCpuCores = holdCores; // an idle run has no measurement window: its CPU is the hold's
            }
        }
        if (config.publishers() == 0) {
            return result(io, true, "idle run: no publishers", stats.subscribedClients.get());
        }

        publishers.forEach(p -> p.loop.loop.execute(p::start));
        long publishersDeadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(10_000, config.rampTimeoutMs()));
        while (stats.readyPublishers.get() + deadPublishers(publishers) < config.publishers()
                && clock.nanoTime() < publishersDeadlineNs) {
            Thread.sleep(POLL_MS);
        }
        if (stats.readyPublishers.get() == 0) {
            return notCompleted(io, "no publisher completed its handshake");
        }
        int subscribedAtStart = stats.subscribedClients.get();

        long publishStartNs = clock.nanoTime() + PUBLISH_LEAD_NS;
        timeline.schedule(publishStartNs, TimeUnit.MILLISECONDS.toNanos(config.warmupMs()),
                TimeUnit.MILLISECONDS.toNanos(config.durationMs()));
        publishers.forEach(p -> p.loop.loop.execute(p::startPublishing));
        nextProgressNs = publishStartNs + PROGRESS_INTERVAL_NS;
        lastProgressNs = publishStartNs;
        ProcessCpu cpu = new ProcessCpu();
        boolean cpuStarted = false;
        while (clock.nanoTime() < timeline.measureEndNs()) {
            Thread.sleep(POLL_MS);
            if (!cpuStarted && clock.nanoTime() >= timeline.measureStartNs()) {
                cpu.start(clock.nanoTime());
                cpuStarted = true;
            }
            maybeReportProgress();
        }
        loadgenCpuCores = cpuStarted ? cpu.coresSince(clock.nanoTime()) : -1;

        long drainDeadlineNs = timeline.measureEndNs() + TimeUnit.MILLISECONDS.toNanos(config.drainMs());
        while (clock.nanoTime() < drainDeadlineNs
                && stats.deliveredMeasured.sum() < stats.expectedMeasured.sum()) {
            Thread.sleep(POLL_MS);
            maybeReportProgress();
        }
        return result(io, true, "", subscribedAtStart);
    }

    private static int deadPublishers(List<PublisherSession> publishers) {
        int dead = 0;
        for (PublisherSession p : publishers) {
            if (p.isEnded()) {
                dead++;
            }
        }
        return dead;
    }

    private void maybeReportProgress() {
        long nowNs = clock.nanoTime();
        if (nowNs < nextProgressNs) {
            return;
        }
        nextProgressNs += PROGRESS_INTERVAL_NS;
        latencyIntervalUs.reset();
        for (LoopContext loop : loops) {
            loop.harvest(latencyIntervalUs);
        }
        latencyTotalUs.add(latencyIntervalUs);
        if (progress == null) {
            return;
        }
        long published = stats.publishedAll.sum();
        long delivered = stats.deliveredAll.sum();
        double seconds = (nowNs - lastProgressNs) / 1e9;
        // Name the phase the interval started in: the first line after the warm-up reports warm-up traffic.
        String phase = lastProgressNs < timeline.measureStartNs() ? "warmup "
                : lastProgressNs < timeline.measureEndNs() ? "measure" : "drain  ";
        progress.printf(Locale.ROOT,
                "[%s] t=%5.1fs  pub %8.0f/s  del %9.0f/s  p50 %7.2fms  p99 %7.2fms  subs %d  outstanding %d  errors %d%n",
                phase, (nowNs - timeline.publishStartNs()) / 1e9,
                (published - lastPublished) / seconds, (delivered - lastDelivered) / seconds,
                percentileMs(latencyIntervalUs, 50), percentileMs(latencyIntervalUs, 99),
                stats.subscribedClients.get(), stats.outstandingDeliveries(), stats.totalErrors());
        lastProgressNs = nowNs;
        lastPublished = published;
        lastDelivered = delivered;
    }

    /**
     * Stops every loop from counting further deliveries, and waits until each has, so that the
     * delivered count and the histogram describe exactly the same messages.
     */
    private void freezeRecording() {
        for (LoopContext loop : loops) {
            loop.loop.submit(loop::stopRecording).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private static double percentileMs(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private RunResult notCompleted(IoRuntime io, String why) {
        return result(io, false, why, stats.subscribedClients.get());
    }

    private RunResult result(IoRuntime io, boolean completed, String note, int subscribedAtStart) {
        freezeRecording();
        for (LoopContext loop : loops) {
            loop.harvest(latencyTotalUs);
        }
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        Map<ErrorKind, String> lastErrors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, stats.errors(kind));
            String detail = stats.lastErrorDetail(kind);
            if (detail != null) {
                lastErrors.put(kind, detail);
            }
        }
        return new RunResult(config, io.name(), completed, note,
                stats.publishedMeasured.sum(), stats.expectedMeasured.sum(), stats.deliveredMeasured.sum(),
                stats.foreignMessages.sum(), stats.rehandshakes.sum(), stats.windowStalls.sum(),
                subscribedAtStart, stats.readyPublishers.get(), stats.deadSessions.get(),
                latencyTotalUs.copy(), errors, lastErrors, loadgenCpuCores);
    }
}
