package io.bayeuxd.session;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The channels one session subscribes to, with when each subscription was made (for presence): one
 * immutable {@link Entries} swapped by compare-and-set.
 *
 * <p>Why not a concurrent map: most sessions hold one to a handful of subscriptions and change them
 * rarely, and every idle connection carries one of these. An instance without subscriptions is 16 bytes
 * plus a shared empty {@code Entries}; with one subscription it holds 72 bytes more (the entries, a
 * one-element {@code String[]} and a one-element {@code long[]}); a {@code ConcurrentHashMap} with one
 * entry was about 200.
 */
final class SessionSubscriptions {
    private static final Entries NONE = new Entries(new String[0], new long[0]);
    private static final AtomicReferenceFieldUpdater<SessionSubscriptions, Entries> ENTRIES =
            AtomicReferenceFieldUpdater.newUpdater(SessionSubscriptions.class, Entries.class, "entries");

    private volatile Entries entries = NONE;

    /** @return false if {@code channel} was already there */
    boolean add(String channel, long nowEpochMillis) {
        for (;;) {
            Entries now = entries;
            if (indexOf(now.channels, channel) >= 0) {
                return false;
            }
            int n = now.channels.length;
            String[] channels = Arrays.copyOf(now.channels, n + 1);
            long[] since = Arrays.copyOf(now.sinceMillis, n + 1);
            channels[n] = channel;
            since[n] = nowEpochMillis;
            if (ENTRIES.compareAndSet(this, now, new Entries(channels, since))) {
                return true;
            }
        }
    }

    /** @return false if {@code channel} was not there */
    boolean remove(String channel) {
        for (;;) {
            Entries now = entries;
            int at = indexOf(now.channels, channel);
            if (at < 0) {
                return false;
            }
            Entries next = NONE;
            int n = now.channels.length;
            if (n > 1) {
                String[] channels = new String[n - 1];
                long[] since = new long[n - 1];
                System.arraycopy(now.channels, 0, channels, 0, at);
                System.arraycopy(now.channels, at + 1, channels, at, n - at - 1);
                System.arraycopy(now.sinceMillis, 0, since, 0, at);
                System.arraycopy(now.sinceMillis, at + 1, since, at, n - at - 1);
                next = new Entries(channels, since);
            }
            if (ENTRIES.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    boolean contains(String channel) {
        return indexOf(entries.channels, channel) >= 0;
    }

    /** When {@code channel} was subscribed to (epoch milliseconds), or -1 when it is not. */
    long since(String channel) {
        Entries now = entries;
        int at = indexOf(now.channels, channel);
        return at < 0 ? -1 : now.sinceMillis[at];
    }

    int size() {
        return entries.channels.length;
    }

    /** The channels at this moment, in the order subscribed; later changes do not show in it. */
    List<String> snapshot() {
        return Collections.unmodifiableList(Arrays.asList(entries.channels));
    }

    private static int indexOf(String[] channels, String channel) {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }

    /** Channels and their subscription times, index for index; never changed once built. */
    private record Entries(String[] channels, long[] sinceMillis) {
    }
}
