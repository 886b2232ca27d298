package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.LoopContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends garbage at {@code garbagePerSec}, one {@link GarbageProbe} per connection, cycling through
 * the {@link GarbageKind}s in order; at most one {@link GarbageKind#HALF_REQUEST} is outstanding, so
 * the held connections stay bounded. Runs on one event loop; the outcomes go to a {@link GarbageTally}.
 */
final class GarbageSender {

    private final SoakContext soak;
    private final LoopContext loop;
    private final Class<? extends SocketChannel> channelClass;
    private final GarbageKind.Target target;
    private final GarbageTally tally = new GarbageTally();
    /** Probes not yet reported; on the loop only. */
    private final Set<GarbageProbe> outstanding = new HashSet<>();
    private final List<GarbageKind> cycle = new ArrayList<>(List.of(GarbageKind.values()));
    private ScheduledFuture<?> schedule;
    private int next;
    private boolean halfRequestOutstanding;

    GarbageSender(SoakContext soak, LoopContext loop, Class<? extends SocketChannel> channelClass) {
        this.soak = soak;
        this.loop = loop;
        this.channelClass = channelClass;
        SoakConfig config = soak.config;
        this.target = new GarbageKind.Target(config.server().hostHeader(), config.server().path(), config.brokerMaxMessageBytes());
    }

    GarbageTally tally() {
        return tally;
    }

    void start() {
        double rate = soak.config.garbagePerSec();
        if (rate <= 0) {
            return;
        }
        long periodUs = Math.max(1_000, Math.round(1_000_000 / rate));
        loop.loop.execute(() -> schedule = loop.loop.scheduleAtFixedRate(this::sendNext, periodUs, periodUs, TimeUnit.MICROSECONDS));
    }

    /** Stops sending and ends the probes still waiting; posted to the loop. */
    void stop() {
        loop.loop.execute(() -> {
            if (schedule != null) {
                schedule.cancel(false);
            }
            for (GarbageProbe probe : new ArrayList<>(outstanding)) {
                probe.cutShort();
            }
            outstanding.clear();
        });
    }

    private void sendNext() {
        GarbageKind kind = cycle.get(next);
        next = (next + 1) % cycle.size();
        if (kind == GarbageKind.HALF_REQUEST) {
            if (halfRequestOutstanding) {
                return;
            }
            halfRequestOutstanding = true;
        }
        soak.stats.garbageSent.increment();
        GarbageProbe probe = new GarbageProbe(kind, target, kind.deadlineMs(soak.config.brokerIdleTimeoutMs()),
                this::onOutcome);
        outstanding.add(probe);
        new Bootstrap()
                .group(loop.loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(probe)
                .connect(soak.config.server().host(), soak.config.server().port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        onOutcome(probe, "connect failed");
                    }
                });
    }

    private void onOutcome(GarbageProbe probe, String outcome) {
        if (!outstanding.remove(probe)) {
            return; // reported already
        }
        if (probe.kind() == GarbageKind.HALF_REQUEST) {
            halfRequestOutstanding = false;
        }
        tally.add(probe.kind(), outcome);
    }
}
