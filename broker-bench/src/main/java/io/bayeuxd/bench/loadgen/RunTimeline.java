package io.bayeuxd.bench.loadgen;

/**
 * The phases of a run on the generator's monotonic clock, and the conversion between that clock
 * and the {@code data.ts} carried in messages.
 *
 * <p>{@code ts} is nanoseconds since {@link #baseNs()}, the start of the run. Keeping it relative
 * keeps it below 2^53, so it survives a round trip through a JavaScript server's doubles exactly
 * (for runs shorter than about 100 days). Publisher and subscribers share one JVM and so one
 * clock: no clock synchronization is involved.
 *
 * <p>The orchestrating thread sets the phase times once, before any publisher starts; publishers
 * and subscribers read them on their event loops, hence the volatile fields.
 */
final class RunTimeline {

    private final long baseNs;
    private volatile long publishStartNs = Long.MAX_VALUE;
    private volatile long measureStartNs = Long.MAX_VALUE;
    private volatile long measureEndNs = Long.MAX_VALUE;
    private volatile boolean stopping;

    RunTimeline(long baseNs) {
        this.baseNs = baseNs;
    }

    long baseNs() {
        return baseNs;
    }

    /** Sets the phases: publishing starts at {@code publishStartNs}, measurement follows the warm-up. */
    void schedule(long publishStartNs, long warmupNs, long durationNs) {
        this.measureStartNs = publishStartNs + warmupNs;
        this.measureEndNs = measureStartNs + durationNs;
        this.publishStartNs = publishStartNs;
    }

    /** Ends the measurement window: no message counts until the next {@link #schedule}. */
    void endMeasurement() {
        this.measureStartNs = Long.MAX_VALUE;
        this.measureEndNs = Long.MAX_VALUE;
    }

    long publishStartNs() {
        return publishStartNs;
    }

    long measureStartNs() {
        return measureStartNs;
    }

    /** Also the end of publishing: what follows is the drain. */
    long measureEndNs() {
        return measureEndNs;
    }

    /** The {@code data.ts} for a message published (or scheduled) at {@code publishNs}. */
    long timestampOf(long publishNs) {
        return publishNs - baseNs;
    }

    /** Inverse of {@link #timestampOf}. */
    long publishTimeOf(long timestamp) {
        return baseNs + timestamp;
    }

    /** Whether a message published at {@code publishNs} counts towards the results. */
    boolean isMeasured(long publishNs) {
        return publishNs >= measureStartNs && publishNs < measureEndNs;
    }

    /** Set once the run is over: sessions stop reconnecting and retrying. */
    void stop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }
}
