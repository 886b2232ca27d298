package io.bayeuxd.ops;

import io.bayeuxd.fanout.DeliveryRecorder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What one transport delivers, recorded once per frame of queued messages on the event loop that builds
 * it: messages and frames into striped counters, the outbox backlog the drain found, and the time from
 * publish to write of the frame's oldest message (the worst in the frame).
 */
final class DeliveryMeter implements DeliveryRecorder {
    final LongAdder messages = new LongAdder();
    final LongAdder frames = new LongAdder();
    private final DistributionSummary backlog;
    private final Timer latency;
    private final LongSupplier nanoClock;

    DeliveryMeter(DistributionSummary backlog, Timer latency, LongSupplier nanoClock) {
        this.backlog = backlog;
        this.latency = latency;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onFrame(int messages, int backlog, long oldestPublishNanos) {
        this.messages.add(messages);
        frames.increment();
        this.backlog.record(backlog);
        if (oldestPublishNanos != BayeuxEncoder.NO_PUBLISH_TIME) {
            long nanos = nanoClock.getAsLong() - oldestPublishNanos;
            if (nanos >= 0) {
                latency.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
