package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SoakVerdictTest {

    private static final long MIB = 1024 * 1024;
    private final SoakConfig config = verdictConfig();

    private static SoakConfig verdictConfig() {
        SoakConfig config = SoakConfig.parse("--url", "http://127.0.0.1:8000/", "--clients", "100",
                "--busy-watchers", "0", "--publishers", "2", "--fd-slack", "16");
        config.heapSlackBytes = 16 * MIB;
        config.heapSlackRatio = 0.10;
        return config.validate();
    }

    private static Sample sample(String marker, long heapMiB, long fds, long sessions) {
        return new Sample(0, marker, marker, true, 200 * MIB, heapMiB * MIB, 2 * heapMiB * MIB, 10 * MIB, fds, sessions, 0, 0,
                500, 20, 7, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static DeliveryLedger.Summary noLoss() {
        return new DeliveryLedger.Summary(1000, 1000, 0, 0, 0, 0, 0, List.of());
    }

    private SoakVerdict judge(DeliveryLedger.Summary ledger, long failures, Sample settled, Sample end, Sample warm) {
        return new SoakVerdict(config, new SoakVerdict.Inputs(ledger, failures, null,
                sample("baseline", 8, 25, 0), warm, settled, end, 103, 0, 50, 0, 0, null));
    }

    private static SoakVerdict.Status status(SoakVerdict verdict, String name) {
        return verdict.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().status();
    }

    @Test
    void aCleanSoakPasses() {
        SoakVerdict verdict = judge(noLoss(), 0, sample("settled", 60, 25 + 103 + 3, 103), sample("final", 20, 27, 0),
                sample("warm", 64, 200, 180));

        assertThat(verdict.passed()).as(verdict.checks().toString()).isTrue();
        assertThat(verdict.checks()).extracting(SoakVerdict.Check::status).doesNotContain(SoakVerdict.Status.FAIL);
        assertThat(status(verdict, "slow-consumer policy engaged")).isEqualTo(SoakVerdict.Status.PASS);
    }

    @Test
    void anyLossOrDisturbanceFails() {
        Sample settled = sample("settled", 60, 131, 103);
        Sample end = sample("final", 20, 27, 0);
        Sample warm = sample("warm", 64, 200, 180);

        SoakVerdict lost = judge(new DeliveryLedger.Summary(1000, 999, 1, 0, 0, 1, 0, List.of("subscriber 3 ...")),
                0, settled, end, warm);
        assertThat(lost.passed()).isFalse();
        assertThat(status(lost, "no loss for well-behaved clients")).isEqualTo(SoakVerdict.Status.FAIL);

        SoakVerdict excluded = judge(new DeliveryLedger.Summary(1000, 1000, 0, 0, 0, 0, 2, List.of()), 0, settled, end, warm);
        assertThat(excluded.passed()).isFalse();

        SoakVerdict disturbed = judge(noLoss(), 1, settled, end, warm);
        assertThat(status(disturbed, "well-behaved clients undisturbed")).isEqualTo(SoakVerdict.Status.FAIL);
    }

    @Test
    void sessionsOrDescriptorsThatDoNotComeBackFail() {
        Sample warm = sample("warm", 64, 200, 180);
        SoakVerdict lingering = judge(noLoss(), 0, sample("settled", 60, 131, 110), sample("final", 20, 27, 0), warm);
        assertThat(status(lingering, "sessions after churn")).isEqualTo(SoakVerdict.Status.FAIL);

        SoakVerdict leakyAfterChurn = judge(noLoss(), 0, sample("settled", 60, 25 + 103 + 17, 103), sample("final", 20, 27, 0), warm);
        assertThat(status(leakyAfterChurn, "fds after churn")).isEqualTo(SoakVerdict.Status.FAIL);

        SoakVerdict leakyAtEnd = judge(noLoss(), 0, sample("settled", 60, 131, 103), sample("final", 20, 25 + 17, 0), warm);
        assertThat(status(leakyAtEnd, "fds back at the baseline")).isEqualTo(SoakVerdict.Status.FAIL);
        assertThat(leakyAtEnd.passed()).isFalse();

        SoakVerdict sessionsLeft = judge(noLoss(), 0, sample("settled", 60, 131, 103), sample("final", 20, 27, 1), warm);
        assertThat(status(sessionsLeft, "sessions at the end")).isEqualTo(SoakVerdict.Status.FAIL);
    }

    @Test
    void heapAboveTheWarmUpPlusSlackFails() {
        Sample warm = sample("warm", 100, 200, 180);
        SoakVerdict within = judge(noLoss(), 0, sample("settled", 100 + 10 + 16, 131, 103), sample("final", 20, 27, 0), warm);
        assertThat(status(within, "heap not growing after churn")).isEqualTo(SoakVerdict.Status.PASS);

        SoakVerdict grown = judge(noLoss(), 0, sample("settled", 100 + 10 + 17, 131, 103), sample("final", 20, 27, 0), warm);
        assertThat(status(grown, "heap not growing after churn")).isEqualTo(SoakVerdict.Status.FAIL);
    }

    @Test
    void missingSamplesFailRatherThanPass() {
        SoakVerdict verdict = judge(noLoss(), 0, null, null, null);

        assertThat(verdict.passed()).isFalse();
        assertThat(status(verdict, "sessions after churn")).isEqualTo(SoakVerdict.Status.FAIL);
        assertThat(status(verdict, "sessions at the end")).isEqualTo(SoakVerdict.Status.FAIL);
        assertThat(status(verdict, "heap not growing after churn")).isEqualTo(SoakVerdict.Status.FAIL);
    }

    @Test
    void memoryOutsideTheHeapThatKeepsGrowingOnlyWarns() {
        Sample warm = sample("warm", 64, 200, 180);
        Sample grown = new Sample(0, "settled", "settled", true, 300 * MIB, 60 * MIB, 120 * MIB, 40 * MIB, 131, 103, 0, 0,
                500, 20, 7, 0, 0, 0, 0, 0, 0, 0, 0);
        SoakVerdict verdict = judge(noLoss(), 0, grown, sample("final", 20, 27, 0), warm);

        assertThat(status(verdict, "RSS after churn")).isEqualTo(SoakVerdict.Status.WARN);
        assertThat(status(verdict, "Netty direct memory")).isEqualTo(SoakVerdict.Status.WARN);
        assertThat(verdict.passed()).isTrue();

        SoakVerdict steady = judge(noLoss(), 0, sample("settled", 60, 131, 103), sample("final", 20, 27, 0), warm);
        assertThat(status(steady, "RSS after churn")).isEqualTo(SoakVerdict.Status.INFO);
        assertThat(status(steady, "Netty direct memory")).isEqualTo(SoakVerdict.Status.INFO);
    }

    @Test
    void rssThatGrewWithTheCommittedHeapIsNoWarning() {
        // RSS +60 MiB (+30 %), all of it heap the JVM committed: beside the heap it stayed at 72 MiB.
        Sample warm = new Sample(0, "warm", "warm", true, 200 * MIB, 60 * MIB, 128 * MIB, 10 * MIB, 200, 180, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Sample settled = new Sample(0, "settled", "settled", true, 260 * MIB, 60 * MIB, 188 * MIB, 10 * MIB, 131, 103, 0, 0,
                500, 20, 7, 0, 0, 0, 0, 0, 0, 0, 0);

        SoakVerdict verdict = judge(noLoss(), 0, settled, sample("final", 20, 27, 0), warm);

        assertThat(status(verdict, "RSS after churn")).isEqualTo(SoakVerdict.Status.INFO);
        assertThat(verdict.checks().stream().filter(c -> c.name().equals("RSS after churn")).findFirst().orElseThrow().detail())
                .contains("72.0 MiB -> 72.0 MiB (+0.0 %");
    }

    @Test
    void slowConsumersThatNeverTriggeredThePolicyOnlyWarn() {
        Sample end = new Sample(0, "final", "final", true, 1, 1, 1, 1, 27, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        SoakVerdict verdict = judge(noLoss(), 0, sample("settled", 60, 131, 103), end, sample("warm", 64, 200, 180));

        assertThat(status(verdict, "slow-consumer policy engaged")).isEqualTo(SoakVerdict.Status.WARN);
        assertThat(verdict.passed()).isTrue();
    }
}
