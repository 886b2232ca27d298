package io.bayeuxd.bench.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time of this JVM over an interval, to tell how much of the machine the generator itself took
 * from the server it measures. Reads {@code com.sun.management.OperatingSystemMXBean} where the JVM
 * offers it.
 */
final class ProcessCpu {

    private final com.sun.management.OperatingSystemMXBean os;
    private long startCpuNs = -1;
    private long startWallNs;

    ProcessCpu() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean ? (com.sun.management.OperatingSystemMXBean) bean : null;
    }

    void start(long nowNs) {
        startCpuNs = os == null ? -1 : os.getProcessCpuTime();
        startWallNs = nowNs;
    }

    /** Cores busy on average since {@link #start}, or -1 when unknown. */
    double coresSince(long nowNs) {
        if (startCpuNs < 0 || nowNs <= startWallNs) {
            return -1;
        }
        long cpuNs = os.getProcessCpuTime();
        return cpuNs < 0 ? -1 : (double) (cpuNs - startCpuNs) / (nowNs - startWallNs);
    }
}
