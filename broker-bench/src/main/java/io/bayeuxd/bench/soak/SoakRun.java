package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.IoRuntime;
import io.bayeuxd.bench.loadgen.LinkFactory;
import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.NanoClock;
import io.bayeuxd.bench.loadgen.TransportKind;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one soak from start to end on the calling thread, in phases, each with a deadline:
 * <ol>
 *   <li><b>baseline</b>: the broker is ready and idle; a full GC, then the reference sample;</li>
 *   <li><b>ramp</b>: the well-behaved subscribers connect at {@code connectRatePerSec} and subscribe,
 *       then the publishers handshake;</li>
 *   <li><b>load</b> for {@code durationMs}: publishing, churn, slow consumers and garbage together;
 *       after {@code warmupMs}, a full GC and the "warm" sample;</li>
 *   <li><b>drain</b>: everything but the well-behaved clients stops; owed deliveries are awaited;</li>
 *   <li><b>settle</b>: churned and slow clients are gone, their abandoned sessions expire; a full GC
 *       and the "settled" sample, which must show only the well-behaved sessions;</li>
 *   <li><b>disconnect</b>: the well-behaved clients disconnect; then <b>final</b>: a full GC and the
 *       "final" sample, which must show no session and the baseline's descriptors.</li>
 * </ol>
 * A sample is taken every {@code sampleIntervalMs} throughout. The files (CSV, SVG, summary) go to
 * {@code outDir}; the return value is the exit status.
 */
final class SoakRun {

    static final int EXIT_PASSED = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_SETUP_FAILED = 3;

    static final long POLL_MS = 200;
    static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    static final long BROKER_READY_TIMEOUT_MS = 60_000;
    static final long PUBLISHERS_READY_TIMEOUT_MS = 30_000;
    static final long LEAVE_GRACE_MS = 5_000;

    private final SoakConfig config;
    private final PrintStream progress;
    private final PrintStream out;
    private final long startNs = System.nanoTime();
    private final SoakStats stats = new SoakStats();
    private BrokerProcess broker;
    private BrokerSampler sampler;
    private SoakContext soak;
    private List<LoopContext> loops;
    private final List<List<WellBehavedSubscriber>> subscribersByLoop = new ArrayList<>();
    private final List<SoakPublisher> publishers = new ArrayList<>();
    private long nextProgressNs;

    SoakRun(SoakConfig config, PrintStream out, PrintStream progress) {
        this.config = config;
        this.out = out;
        this.progress = progress;
    }

    int run() throws InterruptedException, IOException {
        broker = new BrokerProcess(config);
        if (!broker.awaitReady(BROKER_READY_TIMEOUT_MS)) {
            out.println("soak: the broker at " + config.url() + " did not become ready");
            return EXIT_SETUP_FAILED;
        }
        Files.createDirectories(config.outDir());
        int subscriberCount = config.clients() + config.busyWatchers();
        DeliveryLedger ledger = new DeliveryLedger(subscriberCount, config.channels() + 1);
        try (IoRuntime io = new IoRuntime(config.ioThreads())) {
            loops = new ArrayList<>();
            io.loops().forEach(l -> {
                loops.add(new LoopContext(l));
                subscribersByLoop.add(new ArrayList<>());
            });
            LinkFactory links = new LinkFactory(config.server(), io.channelClass());
            soak = new SoakContext(config, stats, ledger, links, NanoClock.SYSTEM);
            try (BrokerSampler s = new BrokerSampler(broker, soak, startNs)) {
                sampler = s;
                return runPhases(io);
            } catch (BrokerGone e) {
                out.println("soak: " + e.getMessage());
                for (Path file : SoakReport.writeSampleFiles(config.outDir(), sampler.samples(), sampler.phases(),
                        "bayeuxd soak (broker exited)")) {
                    out.println("wrote " + file);
                }
                return EXIT_FAILED;
            } finally {
                // Whatever happened, leave no client behind.
                for (List<WellBehavedSubscriber> list : subscribersByLoop) {
                    for (WellBehavedSubscriber sub : list) {
                        sub.loop().loop.execute(() -> sub.leave(false, 0));
                    }
                }
                for (SoakPublisher p : publishers) {
                    p.loop().loop.execute(() -> p.leave(false, 0));
                }
                Thread.sleep(300);
            }
        }
    }

    private int runPhases(IoRuntime io) throws InterruptedException, IOException {
        progress.println("soak: " + config);
        Sample baseline = sampler.takeAfterGc("baseline");
        if (baseline == null) {
            out.println("soak: could not sample the broker: " + sampler.lastError());
            return EXIT_SETUP_FAILED;
        }
        progress.printf(Locale.ROOT, "[baseline] fds %d, sessions %d, heap %s, rss %s%n", baseline.openFds(),
                baseline.sessions(), SoakVerdict.mib(baseline.heapUsedBytes()), SoakVerdict.mib(baseline.rssBytes()));
        sampler.startPeriodic();

        // ---- ramp ------------------------------------------------------------------------------
        sampler.phase("ramp");
        List<WellBehavedSubscriber> all = createSubscribers();
        rampSubscribers(all);
        if (stats.subscribersSubscribed.get() == 0) {
            out.println("soak: no well-behaved subscriber got subscribed");
            return EXIT_SETUP_FAILED;
        }
        createPublishers().forEach(p -> p.loop().loop.execute(p::start));
        waitUntil("publishers ready", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUBLISHERS_READY_TIMEOUT_MS),
                () -> stats.publishersReady.get() == publishers.size());
        if (stats.publishersReady.get() < publishers.size()) {
            out.println("soak: only " + stats.publishersReady.get() + " of " + publishers.size() + " publishers handshook");
            return EXIT_SETUP_FAILED;
        }
        excludeUnsubscribed();

        // ---- load ------------------------------------------------------------------------------
        sampler.phase("load");
        long loadStartNs = System.nanoTime();
        long publishStartNs = loadStartNs + TimeUnit.MILLISECONDS.toNanos(50);
        for (SoakPublisher p : publishers) {
            p.loop().loop.execute(() -> p.startPublishing(publishStartNs));
        }
        ChurnSpawner churn = new ChurnSpawner(soak, loops);
        SlowConsumerSlots slow = new SlowConsumerSlots(soak, loops, io.channelClass());
        GarbageSender garbage = new GarbageSender(soak, loops.get(loops.size() - 1), io.channelClass());
        churn.start();
        slow.start();
        garbage.start();
        long warmNs = loadStartNs + TimeUnit.MILLISECONDS.toNanos(config.warmupMs());
        long loadEndNs = loadStartNs + TimeUnit.MILLISECONDS.toNanos(config.durationMs());
        nextProgressNs = System.nanoTime();
        holdUntil(warmNs);
        Sample warm = sampler.takeAfterGc("warm");
        progress.println("[warm] " + describe(warm));
        holdUntil(loadEndNs);

        // ---- drain -----------------------------------------------------------------------------
        sampler.phase("drain");
        churn.stop();
        garbage.stop();
        slow.stop();
        for (SoakPublisher p : publishers) {
            p.loop().loop.submit(p::stopPublishing).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        waitUntil("drain", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainMs()),
                () -> soak.ledger.deliveredSoFar() >= soak.ledger.expectedSoFar());

        // ---- settle ----------------------------------------------------------------------------
        sampler.phase("settle");
        long churnGraceMs = config.churnLifetimeMs() + config.brokerTimeoutMs() + 2 * Churner.EXTRA_GRACE_MS;
        waitUntil("churned clients leaving", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(churnGraceMs),
                () -> stats.churnAlive.get() == 0 && stats.slowAlive.get() == 0);
        churn.abortAll();
        long settleDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.settleTimeoutMs());
        waitUntil("abandoned sessions expiring", settleDeadlineNs,
                () -> brokerSessions() == stats.wellBehavedSessions.get());
        int wellBehavedAtSettle = stats.wellBehavedSessions.get();
        Sample settled = sampler.takeAfterGc("settled");
        progress.println("[settled] " + describe(settled) + ", well-behaved sessions " + wellBehavedAtSettle);

        // ---- disconnect ------------------------------------------------------------------------
        sampler.phase("disconnect");
        for (List<WellBehavedSubscriber> list : subscribersByLoop) {
            LoopContext loop = list.isEmpty() ? null : list.get(0).loop();
            if (loop != null) {
                loop.loop.execute(() -> list.forEach(sub -> sub.finish(LEAVE_GRACE_MS)));
            }
        }
        for (SoakPublisher p : publishers) {
            p.loop().loop.execute(() -> p.finish(LEAVE_GRACE_MS));
        }
        long disconnectDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.disconnectTimeoutMs());
        waitUntil("well-behaved clients disconnecting", disconnectDeadlineNs,
                () -> stats.wellBehavedSessions.get() == 0 && brokerSessions() == 0
                        && broker.openFds() <= baseline.openFds() + config.fdSlack());

        sampler.phase("final");
        Sample end = sampler.takeAfterGc("final");
        progress.println("[final] " + describe(end));
        quiesceLoops();
        DeliveryLedger.Summary summary = soak.ledger.summary();

        SoakVerdict verdict = new SoakVerdict(config, new SoakVerdict.Inputs(summary,
                stats.wellBehavedFailures.sum(), stats.lastWellBehavedFailure.get(),
                baseline, warm, settled, end, wellBehavedAtSettle,
                config.slowConsumers() > 0 ? 0 : -1,
                garbage.tally().total(), garbage.tally().unexpected(),
                stats.churnFailed.sum(), stats.lastChurnFailure.get()));
        sampler.close();
        SoakReport report = new SoakReport(config, stats, summary, verdict, garbage.tally(), sampler.samples(),
                sampler.phases(), sampler.latencyTotalUs(), sampler.lastError());
        for (Path file : report.writeFiles(config.outDir())) {
            out.println("wrote " + file);
        }
        out.print(report.text());
        Files.writeString(config.outDir().resolve("summary.txt"), report.text(), StandardCharsets.UTF_8);
        out.println("wrote " + config.outDir().resolve("summary.txt"));
        return verdict.passed() ? EXIT_PASSED : EXIT_FAILED;
    }

    private List<WellBehavedSubscriber> createSubscribers() {
        List<WellBehavedSubscriber> all = new ArrayList<>();
        int total = config.clients() + config.busyWatchers();
        for (int i = 0; i < total; i++) {
            int channel = i < config.clients() ? i % config.channels() : config.busyChannel();
            int loopIndex = i % loops.size();
            WellBehavedSubscriber sub = new WellBehavedSubscriber(soak, loops.get(loopIndex), i, channel);
            soak.ledger.assign(i, channel);
            subscribersByLoop.get(loopIndex).add(sub);
            all.add(sub);
        }
        return all;
    }

    private List<SoakPublisher> createPublishers() {
        int count = config.publishers();
        for (int p = 0; p < count; p++) {
            List<Integer> owned = new ArrayList<>();
            for (int c = p; c < config.channels(); c += count) {
                owned.add(c);
            }
            long rate = config.ratePerSec() / count + (p < config.ratePerSec() % count ? 1 : 0);
            publishers.add(new SoakPublisher(soak, loops.get((config.clients() + p) % loops.size()),
                    owned.stream().mapToInt(Integer::intValue).toArray(), rate, config.payloadBytes()));
        }
        if (config.busyRatePerSec() > 0) {
            publishers.add(new SoakPublisher(soak, loops.get((config.clients() + count) % loops.size()),
                    new int[] {config.busyChannel()}, config.busyRatePerSec(), config.busyPayloadBytes()));
        }
        return publishers;
    }

    /** Starts the subscribers at the connect rate and waits for them to subscribe, within the ramp deadline. */
    private void rampSubscribers(List<WellBehavedSubscriber> all) throws InterruptedException {
        long rampStartNs = System.nanoTime();
        long deadlineNs = rampStartNs + TimeUnit.MILLISECONDS.toNanos(
                all.size() * 1000L / config.connectRatePerSec() + config.rampTimeoutMs());
        int started = 0;
        nextProgressNs = rampStartNs + PROGRESS_INTERVAL_NS;
        while (System.nanoTime() < deadlineNs) {
            long elapsedNs = System.nanoTime() - rampStartNs;
            long due = Math.min(all.size(), elapsedNs * config.connectRatePerSec() / 1_000_000_000L + 1);
            while (started < due) {
                WellBehavedSubscriber sub = all.get(started++);
                sub.loop().loop.execute(sub::start);
            }
            if (started == all.size() && stats.subscribersSubscribed.get() == all.size()) {
                break;
            }
            maybeProgress();
            Thread.sleep(10);
        }
        progress.printf(Locale.ROOT, "[ramp] %d of %d subscribed in %.1f s%n", stats.subscribersSubscribed.get(), all.size(),
                (System.nanoTime() - rampStartNs) / 1e9);
    }

    /** Subscribers not subscribed now are owed nothing: the ledger leaves them out and the verdict counts them. */
    private void excludeUnsubscribed() throws InterruptedException {
        for (int l = 0; l < loops.size(); l++) {
            List<WellBehavedSubscriber> list = subscribersByLoop.get(l);
            loops.get(l).loop.submit(() -> {
                for (WellBehavedSubscriber sub : list) {
                    if (!sub.isSubscribed()) {
                        soak.ledger.exclude(sub.index());
                    }
                }
            }).await(30, TimeUnit.SECONDS);
        }
        quiesceLoops();
    }

    /** Runs an empty task on every loop and waits for it: what the loops wrote before is visible after. */
    private void quiesceLoops() {
        for (LoopContext loop : loops) {
            loop.loop.submit(() -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Sleeps until {@code deadlineNs}, printing progress; stops if the broker exits. */
    private void holdUntil(long deadlineNs) throws InterruptedException {
        while (System.nanoTime() < deadlineNs) {
            if (!broker.isAlive()) {
                throw new BrokerGone("the broker exited during " + sampler.phase());
            }
            maybeProgress();
            Thread.sleep(Math.max(1, Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()))));
        }
    }

    /** Sleeps until {@code condition} holds or {@code deadlineNs} passes, printing progress; stops if the broker exits. */
    private void waitUntil(String what, long deadlineNs, BooleanSupplier condition) throws InterruptedException {
        while (System.nanoTime() < deadlineNs) {
            if (!broker.isAlive()) {
                throw new BrokerGone("the broker exited during " + sampler.phase() + " (" + what + ")");
            }
            if (condition.getAsBoolean()) {
                return;
            }
            maybeProgress();
            Thread.sleep(Math.max(1, Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()))));
        }
        if (!condition.getAsBoolean()) {
            progress.println("[" + sampler.phase() + "] deadline passed: " + what);
        }
    }

    private void maybeProgress() {
        long now = System.nanoTime();
        if (now < nextProgressNs) {
            return;
        }
        nextProgressNs = now + PROGRESS_INTERVAL_NS;
        List<Sample> samples = sampler.samples();
        Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        progress.printf(Locale.ROOT, "[%s] t=%.0fs subscribed %d  delivered %d/%d  published %d  churn %d alive, %d started, "
                        + "%d failed  slow %d alive, %d stalled  garbage %d  wb failures %d  broker: %s%n",
                sampler.phase(), (now - startNs) / 1e9, stats.subscribersSubscribed.get(), soak.ledger.deliveredSoFar(),
                soak.ledger.expectedSoFar(), stats.published.sum(), stats.churnAlive.get(), stats.churnStarted.sum(),
                stats.churnFailed.sum(), stats.slowAlive.get(), stats.slowStalled.sum(), stats.garbageSent.sum(),
                stats.wellBehavedFailures.sum(), last == null ? "-" : describe(last));
    }

    private long brokerSessions() {
        try {
            double sessions = PrometheusText.sum(broker.scrape(), "bayeux_sessions");
            return Double.isNaN(sessions) ? -1 : Math.round(sessions);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String describe(Sample s) {
        if (s == null) {
            return "no sample";
        }
        return String.format(Locale.ROOT, "sessions %d, fds %d, heap %s, rss %s, direct %s, drops slow %d closed %d, p99 %.1f ms",
                s.sessions(), s.openFds(), SoakVerdict.mib(s.heapUsedBytes()), SoakVerdict.mib(s.rssBytes()),
                SoakVerdict.mib(s.directBytes()), s.droppedSlow(), s.droppedClosed(), s.p99Ms());
    }

    /** The broker process ended while the soak still needed it. */
    static final class BrokerGone extends RuntimeException {
        BrokerGone(String message) {
            super(message);
        }
    }
}
