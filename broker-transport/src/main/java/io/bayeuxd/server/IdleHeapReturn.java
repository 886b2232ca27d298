package io.bayeuxd.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Makes G1 give back to the operating system the heap that a burst of connecting clients touched,
 * once the broker is quiet again, by setting three of G1's manageable flags at start:
 * <ul>
 *   <li>{@code G1PeriodicGCInterval}: after that long without a collection, G1 runs a concurrent
 *       cycle, at whose end it resizes the heap;</li>
 *   <li>{@code MinHeapFreeRatio} 10 and {@code MaxHeapFreeRatio} 20: it then keeps at most 20 % of
 *       the committed heap free (G1's default, 70 %, lets the committed heap reach more than three times the used).</li>
 * </ul>
 * Why: G1 sizes its young generation for the garbage of the connect ramp (about 14 KB per connecting
 * client: the upgrade request, the WebSocket handshake, a parser and messages per request), and those
 * pages stay resident after it, which makes most of an idle client's RSS
 * ({@code docs/benchmarks.md}, S5 and S6). A flag given on the command line is left as it is, and
 * nothing is set under another collector. JDK 17 declares all three manageable, so this needs no
 * command-line flag.
 */
final class IdleHeapReturn {

    static final long MIN_HEAP_FREE_PERCENT = 10;
    static final long MAX_HEAP_FREE_PERCENT = 20;

    private static final Logger log = LoggerFactory.getLogger(IdleHeapReturn.class);

    private IdleHeapReturn() {
    }

    /**
     * Sets the flags for a periodic collection every {@code intervalMs} of quiet (0: sets nothing) and
     * logs what it did, once. Returns whether it set them.
     */
    static boolean apply(long intervalMs) {
        if (intervalMs <= 0) {
            log.info("Returning idle heap to the OS is off (--{} 0)", ServerSettings.HEAP_RETURN_INTERVAL.name());
            return false;
        }
        if (!usesG1()) {
            log.info("Not setting G1's heap-return flags: the JVM does not use G1");
            return false;
        }
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        StringBuilder set = new StringBuilder();
        // Min before Max: the JVM refuses a MaxHeapFreeRatio below the current MinHeapFreeRatio.
        setIfDefault(vm, "G1PeriodicGCInterval", intervalMs, set);
        setIfDefault(vm, "MinHeapFreeRatio", MIN_HEAP_FREE_PERCENT, set);
        setIfDefault(vm, "MaxHeapFreeRatio", MAX_HEAP_FREE_PERCENT, set);
        log.info("Heap returned to the OS when quiet: {} (--{} 0 to keep the JVM's defaults)",
                set.length() == 0 ? "every flag was set on the command line, left as given" : set,
                ServerSettings.HEAP_RETURN_INTERVAL.name());
        return set.length() > 0;
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, long value, StringBuilder set) {
        try {
            VMOption option = vm.getVMOption(name);
            if (givenAtLaunch(option)) {
                return;
            }
            vm.setVMOption(name, Long.toString(value));
            set.append(set.length() == 0 ? "" : ", ").append(name).append('=').append(value);
        } catch (IllegalArgumentException | SecurityException e) {
            // Not this JVM's flag, or not writable here: the broker runs as before.
            log.warn("Could not set {}={}: {}", name, value, e.getMessage());
        }
    }

    /** Given on the command line, in {@code JAVA_TOOL_OPTIONS} or a flags file: the operator's choice. */
    static boolean givenAtLaunch(VMOption option) {
        VMOption.Origin origin = option.getOrigin();
        return origin == VMOption.Origin.VM_CREATION || origin == VMOption.Origin.ENVIRON_VAR
                || origin == VMOption.Origin.CONFIG_FILE;
    }

    static boolean usesG1() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().startsWith("G1 ")) {
                return true;
            }
        }
        return false;
    }
}
