package io.bayeuxd.bench.loadgen;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S6, from start to end on the calling thread: as many WebSocket clients as the machine
 * allows, each subscribed to one of the room channels and to the broadcast channel every client
 * shares; then, in phases, each with a deadline:
 * <ol>
 *   <li>ramp: clients start at {@code --connect-rate}, handshake and subscribe to both channels;</li>
 *   <li>idle hold ({@code --hold}): nothing is published; a script measures the server meanwhile
 *       (the first line, {@code [hold   ] holding}, marks the start);</li>
 *   <li>broadcast, once per rate of {@code --broadcast-rates}, each for {@code --duration}: one
 *       publisher publishes on the broadcast channel; every delivery's latency is recorded and every
 *       delivery owed is counted, then a drain of up to {@code --drain};</li>
 *   <li>storm: every client drops its socket at once (no {@code /meta/disconnect}) and starts again
 *       (connect, handshake, subscribe to both) at a random moment within {@code --storm-spread};
 *       the phase ends when every client is subscribed again, or at {@code --storm-timeout}.
 *       Meanwhile a {@link ServerProbe} times a probe URL and samples the server's RSS.</li>
 * </ol>
 * The broadcast channel is {@code /bench/<rooms>}, right after the rooms {@code /bench/0..rooms-1},
 * so the run's counters treat it as one more channel.
 */
final class StormRun {

    private static final long POLL_MS = 10;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PUBLISH_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long PUBLISHER_READY_MS = 10_000;
    private static final long CLOSE_GRACE_MS = 300;
    private static final long HARVEST_TIMEOUT_MS = 60_000;

    /** What S6 adds to a {@link LoadConfig}; all times in milliseconds. */
    record Options(long[] broadcastRatesPerSec, long stormSpreadMs, long stormTimeoutMs, URI probeUrl, long serverPid) {
    }

    /** One broadcast phase's outcome. */
    record Phase(long ratePerSec, long published, long expected, long delivered, Histogram latencyUs) {
    }

    /** The storm's outcome; {@code fullMs} is -1 when not every client was subscribed again by the deadline. */
    record Storm(int clients, int resubscribed, double fullMs, long errors, long probes, long probeFailures,
                 long probeNotOk, double probeWorstMs, String probeLastFailure, long peakRssKb) {
    }

    /** Everything the run measured. */
    record Result(LoadConfig config, int subscribed, List<Phase> phases, Storm storm, long errors, String lastErrors,
                  double loadgenIdleCores) {
    }

    private final LoadConfig config;
    private final Options options;
    private final PrintStream progress;
    private final NanoClock clock = NanoClock.SYSTEM;
    private RunStats stats;
    private RunTimeline timeline;
    private List<LoopContext> loops;
    private RampAndHold rampAndHold;

    /** @param config rooms are its {@code channels}; {@code publishers}, {@code rate} and {@code warmup} are not used */
    StormRun(LoadConfig config, Options options, PrintStream progress) {
        this.config = config;
        this.options = options;
        this.progress = progress;
    }

    int broadcastChannel() {
        return config.channels();
    }

    Result run() throws InterruptedException {
        stats = new RunStats(config.channels() + 1);
        timeline = new RunTimeline(clock.nanoTime());
        try (IoRuntime io = new IoRuntime(config.ioThreads())) {
            loops = new ArrayList<>();
            io.loops().forEach(loop -> loops.add(new LoopContext(loop)));
            RunContext context = new RunContext(config, stats, timeline, clock, new LinkFactory(config.server(), io.channelClass()));
            List<SubscriberSession> subscribers = new ArrayList<>(config.clients());
            for (int i = 0; i < config.clients(); i++) {
                subscribers.add(new SubscriberSession(context, loops.get(i % loops.size()), i % config.channels(),
                        broadcastChannel(), context.links));
            }
            BroadcastPublisher publisher = new BroadcastPublisher(context, loops.get(config.clients() % loops.size()),
                    broadcastChannel());
            rampAndHold = new RampAndHold(context, progress);
            try {
                return runPhases(subscribers, publisher);
            } finally {
                timeline.stop();
                subscribers.forEach(s -> s.loop.loop.execute(s::close));
                publisher.loop.loop.execute(publisher::close);
                Thread.sleep(CLOSE_GRACE_MS);
            }
        }
    }

    private Result runPhases(List<SubscriberSession> subscribers, BroadcastPublisher publisher) throws InterruptedException {
        rampAndHold.ramp(subscribers);
        int subscribed = stats.subscribedClients.get();
        double idleCores = rampAndHold.hold(5);

        List<Phase> phases = new ArrayList<>();
        publisher.loop.loop.execute(publisher::start);
        long readyDeadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUBLISHER_READY_MS);
        while (!publisher.handshaken && clock.nanoTime() < readyDeadlineNs) {
            Thread.sleep(POLL_MS);
        }
        if (publisher.handshaken) {
            for (long rate : options.broadcastRatesPerSec()) {
                phases.add(broadcast(publisher, rate));
            }
        } else {
            report("[bcast  ] the publisher did not complete its handshake: no broadcast");
        }
        Storm storm = storm(subscribers);
        StringBuilder lastErrors = new StringBuilder();
        for (ErrorKind kind : ErrorKind.values()) {
            String detail = stats.lastErrorDetail(kind);
            if (detail != null) {
                lastErrors.append(lastErrors.length() == 0 ? "" : "; ").append(kind).append(": ").append(detail);
            }
        }
        return new Result(config, subscribed, phases, storm, stats.totalErrors(), lastErrors.toString(), idleCores);
    }

    private Phase broadcast(BroadcastPublisher publisher, long ratePerSec) throws InterruptedException {
        long startNs = clock.nanoTime() + PUBLISH_LEAD_NS;
        long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(config.durationMs());
        timeline.schedule(startNs, 0, endNs - startNs);
        publisher.loop.loop.execute(() -> publisher.publishPhase(ratePerSec, startNs, endNs));
        report(String.format(Locale.ROOT, "[bcast  ] %d/s for %.1f s to %d subscribed clients",
                ratePerSec, config.durationMs() / 1000.0, stats.subscribersOnChannel.get(broadcastChannel())));
        Histogram interval = LoopContext.newHistogram();
        long nextReportNs = startNs + PROGRESS_INTERVAL_NS;
        long drainDeadlineNs = endNs + TimeUnit.MILLISECONDS.toNanos(config.drainMs());
        long nowNs;
        while ((nowNs = clock.nanoTime()) < endNs
                || (nowNs < drainDeadlineNs && stats.deliveredMeasured.sum() < stats.expectedMeasured.sum())) {
            Thread.sleep(POLL_MS);
            if (nowNs >= nextReportNs) {
                nextReportNs += PROGRESS_INTERVAL_NS;
                report(String.format(Locale.ROOT, "[bcast  ] t=%5.1fs  published %d  delivered %d of %d  subs %d  errors %d",
                        (nowNs - startNs) / 1e9, stats.publishedMeasured.sum(), stats.deliveredMeasured.sum(),
                        stats.expectedMeasured.sum(), stats.subscribedClients.get(), stats.totalErrors()));
            }
        }
        timeline.endMeasurement();
        // Deliveries already past the window check record before the loops run this harvest's tasks. A loop
        // flooded by a server's backlog may take a while to get to it: wait, but not forever.
        Histogram latency = LoopContext.newHistogram();
        for (LoopContext loop : loops) {
            if (!loop.loop.submit(() -> loop.harvest(interval)).awaitUninterruptibly(HARVEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                report("[bcast  ] the generator's event loop did not harvest its latencies in time: this phase has none");
            }
        }
        latency.add(interval);
        Phase phase = new Phase(ratePerSec, stats.publishedMeasured.sumThenReset(), stats.expectedMeasured.sumThenReset(),
                stats.deliveredMeasured.sumThenReset(), latency);
        report(String.format(Locale.ROOT, "[bcast  ] %d/s: published %d, delivered %d of %d, p50 %.2f ms, p99 %.2f ms",
                ratePerSec, phase.published(), phase.delivered(), phase.expected(),
                percentileMs(latency, 50), percentileMs(latency, 99)));
        return phase;
    }

    private Storm storm(List<SubscriberSession> subscribers) throws InterruptedException {
        int target = stats.subscribedClients.get();
        long errorsBefore = stats.totalErrors();
        stats.resubscribedClients.set(0);
        SplittableRandom random = new SplittableRandom(42);
        report(String.format(Locale.ROOT, "[storm  ] dropping %d clients; each reconnects within %.1f s",
                target, options.stormSpreadMs() / 1000.0));
        try (ServerProbe probe = new ServerProbe(options.probeUrl(), options.serverPid()).start()) {
            long startNs = clock.nanoTime();
            for (SubscriberSession s : subscribers) {
                if (s.isSubscribed()) {
                    long delayMs = options.stormSpreadMs() == 0 ? 0 : random.nextLong(options.stormSpreadMs());
                    s.loop.loop.execute(() -> s.dropAndReconnect(delayMs));
                }
            }
            long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(options.stormTimeoutMs());
            long nextReportNs = startNs + PROGRESS_INTERVAL_NS;
            double fullMs = -1;
            long nowNs;
            while ((nowNs = clock.nanoTime()) < deadlineNs) {
                if (stats.resubscribedClients.get() >= target) {
                    fullMs = (nowNs - startNs) / 1e6;
                    break;
                }
                Thread.sleep(POLL_MS);
                if (nowNs >= nextReportNs) {
                    nextReportNs += PROGRESS_INTERVAL_NS;
                    report(String.format(Locale.ROOT, "[storm  ] t=%5.1fs  resubscribed %d/%d  errors %d  probes %d (failed %d, worst %.1f ms)",
                            (nowNs - startNs) / 1e9, stats.resubscribedClients.get(), target,
                            stats.totalErrors() - errorsBefore, probe.probes(), probe.failures(), probe.worstMs()));
                }
            }
            // A second more of probing once the clients are back: the server is still busy with their connects.
            long settleEndNs = clock.nanoTime() + PROGRESS_INTERVAL_NS;
            while (clock.nanoTime() < settleEndNs) {
                Thread.sleep(POLL_MS);
            }
            report(String.format(Locale.ROOT, "[storm  ] resubscribed %d/%d in %s; probes %d, failed %d, not 200 %d, worst %.1f ms; peak RSS %d KB",
                    stats.resubscribedClients.get(), target, fullMs < 0 ? "(not all by the deadline)" : String.format(Locale.ROOT, "%.0f ms", fullMs),
                    probe.probes(), probe.failures(), probe.notOk(), probe.worstMs(), probe.peakRssKb()));
            probe.close();
            return new Storm(target, stats.resubscribedClients.get(), fullMs, stats.totalErrors() - errorsBefore,
                    probe.probes(), probe.failures(), probe.notOk(), probe.worstMs(), probe.lastFailure(), probe.peakRssKb());
        }
    }

    private void report(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }

    static double percentileMs(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
