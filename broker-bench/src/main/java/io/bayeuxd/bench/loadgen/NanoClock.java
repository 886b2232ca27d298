package io.bayeuxd.bench.loadgen;

/**
 * Source of monotonic time in nanoseconds. The load generator and the soak read time only through this seam so that
 * pacing and session logic can be driven by a fake clock in tests.
 */
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
