package io.bayeuxd.bench.loadgen;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the client sessions of one event loop share: the loop, one frame parser and one latency
 * recorder (the load generator's; the soak records into one shared recorder instead).
 * Only that loop's thread writes to them, which is why a single-writer recorder suffices; the
 * orchestrating thread harvests interval histograms from the recorder.
 */
public final class LoopContext {

    /** Latencies are recorded in microseconds, up to an hour, to three significant digits. */
    static final long HIGHEST_LATENCY_US = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    public final EventLoop loop;
    public final ServerFrameParser parser = new ServerFrameParser();
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_LATENCY_US, SIGNIFICANT_DIGITS);
    /** Cleared on the loop's thread at the end of the run, so that counts and histograms freeze together. */
    private boolean recording = true;

    public LoopContext(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether measured deliveries still count; on the loop's thread only. */
    boolean isRecording() {
        return recording;
    }

    /** Stops counting and recording measured deliveries; on the loop's thread only. */
    void stopRecording() {
        recording = false;
    }

    /** Records one end-to-end latency; on the loop's thread only. */
    void recordLatencyNs(long latencyNs) {
        long micros = Math.max(0, latencyNs) / 1000;
        recorder.recordValue(Math.min(micros, HIGHEST_LATENCY_US));
    }

    /** Moves what was recorded since the last call into {@code into}; from any thread. */
    void harvest(Histogram into) {
        into.add(recorder.getIntervalHistogram());
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_LATENCY_US, SIGNIFICANT_DIGITS);
    }
}
