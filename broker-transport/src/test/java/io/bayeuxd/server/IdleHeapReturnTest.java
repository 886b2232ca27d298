package io.bayeuxd.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link IdleHeapReturn} on this test's own JVM (G1, the default here): it sets the three manageable
 * flags, leaves them alone when off, and the JVM then reports the values. The flags are put back after
 * each test.
 */
class IdleHeapReturnTest {

    private static final String[] FLAGS = {"G1PeriodicGCInterval", "MinHeapFreeRatio", "MaxHeapFreeRatio"};

    private final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private final Map<String, String> before = new LinkedHashMap<>();

    @BeforeEach
    void remember() {
        assumeTrue(IdleHeapReturn.usesG1(), "the JVM running the tests uses G1");
        for (String flag : FLAGS) {
            before.put(flag, vm.getVMOption(flag).getValue());
        }
    }

    @AfterEach
    void restore() {
        // Max first on the way back: the JVM refuses a Min above the current Max.
        vm.setVMOption("MaxHeapFreeRatio", before.get("MaxHeapFreeRatio"));
        vm.setVMOption("MinHeapFreeRatio", before.get("MinHeapFreeRatio"));
        vm.setVMOption("G1PeriodicGCInterval", before.get("G1PeriodicGCInterval"));
    }

    @Test
    void setsThePeriodicCollectionAndTheFreeRatios() {
        for (String flag : FLAGS) {
            assumeTrue(!IdleHeapReturn.givenAtLaunch(vm.getVMOption(flag)), flag + " not given on the test JVM's command line");
        }

        assertThat(IdleHeapReturn.apply(10_000)).isTrue();

        assertThat(vm.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("10000");
        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("20");
    }

    @Test
    void zeroLeavesTheJvmsDefaults() {
        assertThat(IdleHeapReturn.apply(0)).isFalse();

        for (String flag : FLAGS) {
            assertThat(vm.getVMOption(flag).getValue()).as(flag).isEqualTo(before.get(flag));
        }
    }
}
