package io.bayeuxd.bench.loadgen;

/**
 * Source of monotonic time in nanoseconds. The generator reads time only through this seam so that
 * pacing and session logic can be driven by a fake clock in tests.
 */
interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
