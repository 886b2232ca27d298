package io.bayeuxd.bench.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pacer is pure arithmetic on the times it is given: these tests are its fake clock. */
class RatePacerTest {

    private static final long START_NS = 5_000_000_000L;

    @Test
    void firstEventIsDueAtTheStartAndNotBefore() {
        RatePacer pacer = new RatePacer(100, START_NS);

        assertThat(pacer.dueCount(START_NS - 1)).isZero();
        assertThat(pacer.dueCount(START_NS)).isEqualTo(1);
        assertThat(pacer.nanosUntilNext(START_NS - 250)).isEqualTo(250);
    }

    @Test
    void eventsAreEvenlySpaced() {
        RatePacer pacer = new RatePacer(100, START_NS);

        assertThat(pacer.scheduledTimeNs(0)).isEqualTo(START_NS);
        assertThat(pacer.scheduledTimeNs(1)).isEqualTo(START_NS + 10_000_000);
        assertThat(pacer.scheduledTimeNs(250)).isEqualTo(START_NS + 2_500_000_000L);
    }

    @Test
    void dueCountFollowsTheScheduleExactlyAtEachBoundary() {
        RatePacer pacer = new RatePacer(3, START_NS); // 333,333,333 ns apart, with remainders

        for (long k = 0; k < 100; k++) {
            long at = pacer.scheduledTimeNs(k);
            assertThat(pacer.dueCount(at)).as("at event %d", k).isEqualTo(k + 1);
            assertThat(pacer.dueCount(at - 1)).as("just before event %d", k).isEqualTo(k);
        }
    }

    @Test
    void issuingConsumesDueEventsInOrderAndReturnsTheirScheduledTimes() {
        RatePacer pacer = new RatePacer(1000, START_NS);
        long now = START_NS + 2_500_000; // events 0, 1, 2 due

        assertThat(pacer.dueCount(now)).isEqualTo(3);
        assertThat(pacer.issueNext()).isEqualTo(START_NS);
        assertThat(pacer.issueNext()).isEqualTo(START_NS + 1_000_000);
        assertThat(pacer.dueCount(now)).isEqualTo(1);
        assertThat(pacer.issueNext()).isEqualTo(START_NS + 2_000_000);
        assertThat(pacer.dueCount(now)).isZero();
        assertThat(pacer.nanosUntilNext(now)).isEqualTo(500_000);
        assertThat(pacer.issuedCount()).isEqualTo(3);
    }

    @Test
    void aSenderThatFallsBehindKeepsTheOriginalScheduleInsteadOfSkipping() {
        RatePacer pacer = new RatePacer(10, START_NS);
        long stalledUntil = START_NS + 1_050_000_000L; // a 1 s stall: events 0..10 are due

        assertThat(pacer.dueCount(stalledUntil)).isEqualTo(11);
        long lastScheduled = 0;
        while (pacer.dueCount(stalledUntil) > 0) {
            lastScheduled = pacer.issueNext();
        }
        assertThat(lastScheduled).isEqualTo(START_NS + 1_000_000_000L);
        assertThat(pacer.nanosUntilNext(stalledUntil)).isEqualTo(50_000_000);
    }

    @Test
    void longRunsAtHighRatesNeitherOverflowNorDrift() {
        RatePacer pacer = new RatePacer(RatePacer.MAX_RATE_PER_SEC, 0);
        long oneDayNs = 86_400L * 1_000_000_000L;

        assertThat(pacer.dueCount(oneDayNs)).isEqualTo(86_400L * RatePacer.MAX_RATE_PER_SEC + 1);
        RatePacer slow = new RatePacer(7, 0);
        assertThat(slow.scheduledTimeNs(7 * 86_400L)).isEqualTo(oneDayNs);
    }

    @Test
    void rejectsRatesOutsideItsRange() {
        assertThatThrownBy(() -> new RatePacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatePacer(RatePacer.MAX_RATE_PER_SEC + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
