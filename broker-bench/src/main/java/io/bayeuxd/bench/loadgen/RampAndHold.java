package io.bayeuxd.bench.loadgen;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The first two phases of a load run and of S6, on the orchestrating thread: subscribers start at
 * {@code --connect-rate} until all are subscribed or the ramp deadline passes, then stay connected
 * and idle for {@code --hold}. Progress lines go to {@code progress}, or nowhere when it is null.
 */
final class RampAndHold {

    private static final long POLL_MS = 10;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final LoadConfig config;
    private final RunStats stats;
    private final NanoClock clock;
    private final PrintStream progress;

    RampAndHold(RunContext run, PrintStream progress) {
        this.config = run.config;
        this.stats = run.stats;
        this.clock = run.clock;
        this.progress = progress;
    }

    /** Starts {@code subscribers} in order, paced; returns when all are subscribed (or dead) or at the ramp deadline. */
    void ramp(List<SubscriberSession> subscribers) throws InterruptedException {
        long rampStartNs = clock.nanoTime();
        RatePacer ramp = new RatePacer(config.connectRatePerSec(), rampStartNs);
        long deadlineNs = rampStartNs + TimeUnit.MILLISECONDS.toNanos(config.rampDeadlineMs());
        long nextRampReportNs = rampStartNs + PROGRESS_INTERVAL_NS;
        int started = 0;
        while (stats.subscribedClients.get() + stats.deadSessions.get() < config.clients()) {
            long nowNs = clock.nanoTime();
            if (nowNs >= deadlineNs) {
                break;
            }
            for (long due = ramp.dueCount(nowNs); due > 0 && started < config.clients(); due--) {
                SubscriberSession session = subscribers.get(started++);
                session.loop.loop.execute(session::start);
                ramp.issueNext();
            }
            if (progress != null && nowNs >= nextRampReportNs) {
                nextRampReportNs += PROGRESS_INTERVAL_NS;
                progress.printf(Locale.ROOT, "[ramp   ] started %d/%d  subscribed %d  errors %d%n",
                        started, config.clients(), stats.subscribedClients.get(), stats.totalErrors());
            }
            Thread.sleep(started < config.clients() ? Math.max(1, Math.min(POLL_MS, ramp.nanosUntilNext(nowNs) / 1_000_000)) : POLL_MS);
        }
    }

    /**
     * Keeps the subscribers connected and idle for {@code --hold}, with a progress line every
     * {@code reportIntervalSec}. The first line marks its start, for scripts that measure the server
     * meanwhile.
     *
     * @return the generator's own CPU over the hold, in cores; negative when the JVM cannot tell
     */
    double hold(int reportIntervalSec) throws InterruptedException {
        long startNs = clock.nanoTime();
        long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(config.holdMs());
        if (progress != null) {
            progress.printf(Locale.ROOT, "[hold   ] holding %d/%d subscribed clients for %.1f s%n",
                    stats.subscribedClients.get(), config.clients(), config.holdMs() / 1000.0);
        }
        ProcessCpu cpu = new ProcessCpu();
        cpu.start(startNs);
        long reportIntervalNs = TimeUnit.SECONDS.toNanos(reportIntervalSec);
        long nextReportNs = startNs + reportIntervalNs;
        long nowNs;
        while ((nowNs = clock.nanoTime()) < endNs) {
            Thread.sleep(Math.max(1, Math.min(POLL_MS, (endNs - nowNs) / 1_000_000)));
            if (progress != null && clock.nanoTime() >= nextReportNs) {
                nextReportNs += reportIntervalNs;
                progress.printf(Locale.ROOT, "[hold   ] t=%5.1fs  subs %d  errors %d%n",
                        (clock.nanoTime() - startNs) / 1e9, stats.subscribedClients.get(), stats.totalErrors());
            }
        }
        return cpu.coresSince(clock.nanoTime());
    }
}
