package io.bayeuxd.bench.soak;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTest {

    private final DeliveryLedger ledger = new DeliveryLedger(4, 2);

    DeliveryLedgerTest() {
        ledger.assign(0, 0);
        ledger.assign(1, 0);
        ledger.assign(2, 1);
        ledger.assign(3, 1);
    }

    @Test
    void everyMessageToEverySubscriberInAnyOrderIsNoLoss() {
        ledger.published(0, 3);
        ledger.published(1, 2);
        for (int sub : new int[] {0, 1}) {
            ledger.record(sub, 2);
            ledger.record(sub, 0);
            ledger.record(sub, 1);
        }
        for (int sub : new int[] {2, 3}) {
            ledger.record(sub, 1);
            ledger.record(sub, 0);
        }

        DeliveryLedger.Summary summary = ledger.summary();
        assertThat(summary.expected()).isEqualTo(10);
        assertThat(summary.delivered()).isEqualTo(10);
        assertThat(summary.lost()).isZero();
        assertThat(summary.subscribersWithLoss()).isZero();
        assertThat(summary.examples()).isEmpty();
        assertThat(ledger.expectedSoFar()).isEqualTo(10);
        assertThat(ledger.deliveredSoFar()).isEqualTo(10);
    }

    @Test
    void aMissingNumberIsALossNamedInTheExamples() {
        ledger.published(0, 3);
        ledger.record(0, 0);
        ledger.record(0, 2);
        ledger.record(1, 0);
        ledger.record(1, 1);
        ledger.record(1, 2);

        DeliveryLedger.Summary summary = ledger.summary();
        assertThat(summary.lost()).isEqualTo(1);
        assertThat(summary.subscribersWithLoss()).isEqualTo(1);
        assertThat(summary.examples()).containsExactly("subscriber 0 on channel 0: 1 of 3 missing, first #1");
    }

    @Test
    void duplicatesAreCountedOnceAndReported() {
        ledger.published(0, 1);
        ledger.record(0, 0);
        ledger.record(0, 0);
        ledger.record(1, 0);

        DeliveryLedger.Summary summary = ledger.summary();
        assertThat(summary.delivered()).isEqualTo(2);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.lost()).isZero();
    }

    @Test
    void numbersNeverPublishedAreUnexpectedNotDelivered() {
        ledger.published(0, 1);
        ledger.record(0, 0);
        ledger.record(0, 5);
        ledger.record(1, 0);
        ledger.record(1, -1);

        DeliveryLedger.Summary summary = ledger.summary();
        assertThat(summary.delivered()).isEqualTo(2);
        assertThat(summary.unexpected()).isEqualTo(2);
        assertThat(summary.lost()).isZero();
    }

    @Test
    void anExcludedSubscriberIsOwedNothingButCounted() {
        ledger.exclude(3);
        ledger.exclude(3);
        ledger.published(1, 2);
        ledger.record(2, 0);
        ledger.record(2, 1);
        ledger.record(3, 0);

        DeliveryLedger.Summary summary = ledger.summary();
        assertThat(summary.expected()).isEqualTo(2);
        assertThat(summary.lost()).isZero();
        assertThat(summary.excluded()).isEqualTo(1);
        assertThat(ledger.expectedSoFar()).isEqualTo(2);
        assertThat(ledger.deliveredSoFar()).isEqualTo(2);
    }

    @Test
    void examplesAreCapped() {
        DeliveryLedger big = new DeliveryLedger(20, 1);
        for (int i = 0; i < 20; i++) {
            big.assign(i, 0);
        }
        big.published(0, 1);

        DeliveryLedger.Summary summary = big.summary();
        assertThat(summary.lost()).isEqualTo(20);
        assertThat(summary.subscribersWithLoss()).isEqualTo(20);
        assertThat(summary.examples()).hasSize(DeliveryLedger.EXAMPLES);
    }
}
