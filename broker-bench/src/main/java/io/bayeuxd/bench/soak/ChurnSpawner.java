package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link Churner}s at {@code churnPerSec} while the load runs, spread over the event loops;
 * which transport each uses, whether it leaves politely and which channel it listens on come from
 * a seeded random source, so two runs churn alike. At most {@code churnMaxAlive} are alive at once.
 */
final class ChurnSpawner {

    static final long SEED = 20_261_129L;

    private final SoakContext soak;
    private final List<LoopContext> loops;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final Set<Churner> alive = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> schedule;
    private int nextLoop;

    ChurnSpawner(SoakContext soak, List<LoopContext> loops) {
        this.soak = soak;
        this.loops = loops;
    }

    void start() {
        double rate = soak.config.churnPerSec();
        if (rate <= 0) {
            return;
        }
        long periodUs = Math.max(1_000, Math.round(1_000_000 / rate));
        LoopContext home = loops.get(0);
        home.loop.execute(() -> schedule = home.loop.scheduleAtFixedRate(this::spawn, periodUs, periodUs, TimeUnit.MICROSECONDS));
    }

    /** Stops starting new clients; those alive finish their lifetimes. */
    void stop() {
        LoopContext home = loops.get(0);
        home.loop.submit(() -> {
            if (schedule != null) {
                schedule.cancel(false);
            }
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Drops every client still alive. */
    void abortAll() {
        for (Churner churner : alive) {
            churner.loop().loop.execute(churner::abort);
        }
    }

    int aliveCount() {
        return alive.size();
    }

    /** On the home loop, at the churn rate. */
    private void spawn() {
        SoakConfig config = soak.config;
        if (soak.stats.churnAlive.get() >= config.churnMaxAlive()) {
            soak.stats.churnSkipped.increment();
            return;
        }
        TransportKind transport = random.nextInt(100) < config.churnLongPollPercent()
                ? TransportKind.LONG_POLLING : TransportKind.WEBSOCKET;
        boolean polite = random.nextInt(100) >= config.churnAbruptPercent();
        int channel = random.nextInt(config.channels());
        LoopContext loop = loops.get(nextLoop);
        nextLoop = (nextLoop + 1) % loops.size();
        Churner[] self = new Churner[1];
        self[0] = new Churner(soak, loop, transport, channel, polite, () -> alive.remove(self[0]));
        alive.add(self[0]);
        loop.loop.execute(self[0]::begin);
    }
}
