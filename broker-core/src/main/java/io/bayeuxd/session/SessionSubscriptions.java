package io.bayeuxd.session;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The channels one session subscribes to: a copy-on-write array swapped by compare-and-set.
 *
 * <p>Why not a concurrent set: most sessions hold one to a handful of subscriptions and change them
 * rarely, and every idle connection carries one of these. An empty instance is 16 bytes plus a shared
 * empty array; a {@code ConcurrentHashMap} key set with one entry was about 200.
 */
final class SessionSubscriptions {
    private static final String[] NONE = new String[0];
    private static final AtomicReferenceFieldUpdater<SessionSubscriptions, String[]> CHANNELS =
            AtomicReferenceFieldUpdater.newUpdater(SessionSubscriptions.class, String[].class, "channels");

    private volatile String[] channels = NONE;

    /** @return false if {@code channel} was already there */
    boolean add(String channel) {
        for (;;) {
            String[] now = channels;
            if (indexOf(now, channel) >= 0) {
                return false;
            }
            String[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = channel;
            if (CHANNELS.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    /** @return false if {@code channel} was not there */
    boolean remove(String channel) {
        for (;;) {
            String[] now = channels;
            int at = indexOf(now, channel);
            if (at < 0) {
                return false;
            }
            String[] next = NONE;
            if (now.length > 1) {
                next = new String[now.length - 1];
                System.arraycopy(now, 0, next, 0, at);
                System.arraycopy(now, at + 1, next, at, now.length - at - 1);
            }
            if (CHANNELS.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    boolean contains(String channel) {
        return indexOf(channels, channel) >= 0;
    }

    int size() {
        return channels.length;
    }

    /** The channels at this moment, in the order subscribed; later changes do not show in it. */
    List<String> snapshot() {
        return Collections.unmodifiableList(Arrays.asList(channels));
    }

    private static int indexOf(String[] channels, String channel) {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }
}
