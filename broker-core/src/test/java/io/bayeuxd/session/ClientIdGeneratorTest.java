package io.bayeuxd.session;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClientIdGeneratorTest {
    private final ClientIdGenerator ids = new ClientIdGenerator();

    @Test
    void idsAre31BaseThirtySixCharactersAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ids.next();
            assertThat(id).hasSize(31).matches("[0-9a-z]{31}");
            assertThat(seen.add(id)).as("distinct").isTrue();
        }
    }

    @Test
    void everyCharacterIsEquallyLikely() {
        // 3.1 million characters: each of the 36 expected 86,111 times, standard deviation about 290. A
        // plain "byte % 36" would make 0-3 about 14 % more frequent than the rest; 3 % is over 8 deviations.
        long[] counts = new long[36];
        int ids = 100_000;
        for (int i = 0; i < ids; i++) {
            for (char c : this.ids.next().toCharArray()) {
                counts[Character.digit(c, 36)]++;
            }
        }
        double expected = ids * 31 / 36.0;
        for (int d = 0; d < 36; d++) {
            assertThat(counts[d] / expected).as("frequency of %s", Character.forDigit(d, 36)).isBetween(0.97, 1.03);
        }
    }
}
