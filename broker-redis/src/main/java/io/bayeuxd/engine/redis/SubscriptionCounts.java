package io.bayeuxd.engine.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * How many local sessions subscribe to each Bayeux channel or pattern. The node listens on a Redis
 * channel from the first subscription to the last: {@link #increment} and {@link #decrement} run the
 * listen and stop actions inside the map's per-key update, so for one pattern they reach Redis in the
 * order the counts changed, whichever threads change them.
 */
final class SubscriptionCounts {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more subscription; runs {@code onFirst} when it is the first. */
    void increment(String pattern, Consumer<String> onFirst) {
        counts.compute(pattern, (p, n) -> {
            if (n == null) {
                onFirst.accept(p);
                return 1;
            }
            return n + 1;
        });
    }

    /** Counts one subscription less; runs {@code onLast} when none is left. */
    void decrement(String pattern, Consumer<String> onLast) {
        counts.computeIfPresent(pattern, (p, n) -> {
            if (n == 1) {
                onLast.accept(p);
                return null;
            }
            return n - 1;
        });
    }

    /** The patterns with at least one subscription now. */
    List<String> patterns() {
        return new ArrayList<>(counts.keySet());
    }

    int size() {
        return counts.size();
    }
}
