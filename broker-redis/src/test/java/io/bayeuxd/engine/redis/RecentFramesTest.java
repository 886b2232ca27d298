package io.bayeuxd.engine.redis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecentFramesTest {
    @Test
    void eachFrameOfEachOriginIsNewOnceHoweverItsCopiesInterleave() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            RecentFrames recent = new RecentFrames();
            // Three origins, frames numbered with gaps (a node hears only some), up to three copies each,
            // each copy delayed by a few frames as shards would.
            List<long[]> arrivals = new ArrayList<>();
            int distinct = 0;
            for (long origin = 1; origin <= 3; origin++) {
                long seq = random.nextInt(5);
                for (int i = 0; i < 300; i++, seq += 1 + random.nextInt(3)) {
                    distinct++;
                    int copies = 1 + random.nextInt(3);
                    for (int c = 0; c < copies; c++) {
                        arrivals.add(new long[] {i * 10L + random.nextInt(40), origin, seq});
                    }
                }
            }
            Collections.shuffle(arrivals, random);
            arrivals.sort((x, y) -> Long.compare(x[0], y[0]));
            int fresh = 0;
            for (long[] a : arrivals) {
                if (!recent.seenBefore(a[1], a[2])) {
                    fresh++;
                }
            }
            assertThat(fresh).isEqualTo(distinct);
        }
    }

    @Test
    void aFrameFromBeforeTheWindowCountsAsSeen() {
        RecentFrames recent = new RecentFrames();
        assertThat(recent.seenBefore(7, 0)).isFalse();
        assertThat(recent.seenBefore(7, RecentFrames.WINDOW + 5)).isFalse();
        assertThat(recent.seenBefore(7, 3)).isTrue();
        // Slots reused by newer numbers were cleared: a newer number is new.
        assertThat(recent.seenBefore(7, RecentFrames.WINDOW + 4)).isFalse();
        assertThat(recent.seenBefore(7, RecentFrames.WINDOW + 4)).isTrue();
    }
}
