package io.bayeuxd.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The total connection cap the broker runs with: the one {@code --max-connections} sets, or, left at
 * {@link #AUTO}, one derived from the process's open-file limit so that connections are refused with a
 * 503 before {@code accept} runs out of descriptors.
 *
 * @param maxConnections the cap; 0 for none
 * @param fileLimit the open-file limit read at start-up, or -1 where it cannot be read
 * @param openAtStart descriptors open when the cap was derived, or -1 where unknown
 * @param explanation how the cap came about, for the start-up log line
 */
record ConnectionCap(int maxConnections, long fileLimit, long openAtStart, String explanation) {
    /** {@code --max-connections} left unset: derive the cap from the open-file limit. */
    public static final int AUTO = -1;
    /** Descriptors always kept for the broker's own files, however small the limit. */
    static final int MIN_HEADROOM = 64;
    /** Of the limit, the share kept for the broker's own files when that is more than {@link #MIN_HEADROOM}. */
    static final int HEADROOM_PERCENT = 5;

    /**
     * The cap for a configured {@code --max-connections}, reading this process's open-file limit and
     * open descriptors when it is {@link #AUTO}.
     */
    static ConnectionCap resolve(int configured) {
        if (configured != AUTO) {
            return of(configured, -1, -1);
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return of(AUTO, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        }
        return of(AUTO, -1, -1);
    }

    /**
     * The cap for a configured value and a given limit; {@code fileLimit} and {@code openAtStart} matter
     * only for {@link #AUTO}, and are -1 when unknown.
     *
     * <p>Derived, the cap is the limit less what is open already (the JVM's jars and standard streams, the
     * event loops' epoll, event and timer descriptors, three per I/O thread) less a headroom of
     * {@code max(64, 5 % of the limit)} for what the broker opens later besides client connections: log
     * files rolled over, Redis links and their reconnects, connections to the management port, classes
     * loaded lazily from jars, and the connections over the cap themselves, each of which holds a descriptor
     * from its accept until its 503 is written and it closes. 64 covers those on a small limit; 5 % grows with
     * the limit because the number of refused connections in flight at once grows with the traffic a large
     * limit is set for.
     */
    static ConnectionCap of(int configured, long fileLimit, long openAtStart) {
        if (configured == 0) {
            return new ConnectionCap(0, fileLimit, openAtStart, "no connection cap (--max-connections 0)");
        }
        if (configured > 0) {
            return new ConnectionCap(configured, fileLimit, openAtStart, "connection cap " + configured + " (--max-connections)");
        }
        if (fileLimit <= 0 || fileLimit >= Integer.MAX_VALUE) {
            return new ConnectionCap(0, fileLimit, openAtStart, fileLimit <= 0
                    ? "no connection cap: the open-file limit cannot be read here (set --max-connections)"
                    : "no connection cap: no open-file limit");
        }
        long open = Math.max(0, openAtStart);
        long headroom = Math.max(MIN_HEADROOM, fileLimit * HEADROOM_PERCENT / 100);
        long cap = fileLimit - open - headroom;
        if (cap < 1) {
            return new ConnectionCap(1, fileLimit, openAtStart, "connection cap 1: the open-file limit " + fileLimit
                    + " leaves no room for connections beside " + open + " open files and " + headroom
                    + " kept for the broker; raise it (ulimit -n, LimitNOFILE)");
        }
        return new ConnectionCap((int) cap, fileLimit, openAtStart, "connection cap " + cap + " from the open-file limit "
                + fileLimit + ": " + open + " open at start, " + headroom + " kept for the broker's own files "
                + "(set --max-connections to choose)");
    }
}
