package io.bayeuxd.security.webhook;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The backend's answers by question, each for {@code ttlNanos}, at most {@code maxEntries} of them. An
 * answer still on its way is shared too, so that a burst of the same question is one request; a question
 * whose answer failed is forgotten at once, so that only real answers are kept.
 */
final class DecisionCache<T> {
    private record Entry<T>(CompletableFuture<T> answer, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;

    DecisionCache(long ttlNanos, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /** The answer kept for {@code key}, or the one {@code ask} starts now (and that is kept). */
    CompletableFuture<T> get(String key, Supplier<CompletableFuture<T>> ask) {
        long now = nanoClock.getAsLong();
        Entry<T> e = entries.get(key);
        if (e != null && now - e.expiresAtNanos < 0) {
            return e.answer;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(old -> now - old.expiresAtNanos >= 0);
            if (entries.size() >= maxEntries) {
                // Full of live answers: start again rather than track ages; they are asked again at worst.
                entries.clear();
            }
        }
        CompletableFuture<T> answer = ask.get();
        Entry<T> mine = new Entry<>(answer, now + ttlNanos);
        entries.put(key, mine);
        answer.whenComplete((v, failure) -> {
            if (failure != null) {
                entries.remove(key, mine);
            }
        });
        return answer;
    }

    int size() {
        return entries.size();
    }
}
