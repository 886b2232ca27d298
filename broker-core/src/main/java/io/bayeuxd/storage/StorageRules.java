package io.bayeuxd.storage;

import io.bayeuxd.channel.ChannelName;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which channels the broker keeps something for, and how much: {@code --history-channels} (the last
 * messages of a channel) and {@code --state-channels} (the current records of a Webix list).
 * Immutable; built once from the settings.
 */
public final class StorageRules {
    private final List<HistoryRule> history;
    private final List<String> statePatterns;
    private final int maxRecords;
    private final long maxRecordBytes;
    private final int maxChannels;
    private final Path dataDir;
    private final StorageLog.Fsync fsync;

    private StorageRules(List<HistoryRule> history, List<String> statePatterns, int maxRecords, long maxRecordBytes,
                         int maxChannels, Path dataDir, StorageLog.Fsync fsync) {
        this.dataDir = dataDir;
        this.fsync = fsync;
        this.history = List.copyOf(history);
        this.statePatterns = List.copyOf(statePatterns);
        this.maxRecords = maxRecords;
        this.maxRecordBytes = maxRecordBytes;
        this.maxChannels = maxChannels;
    }

    /**
     * @param historySpecs   {@code PATTERN=N} or {@code PATTERN=N/T}: keep the last N messages, at most T
     *                       seconds old, of each channel matching the pattern
     * @param statePatterns  channel patterns whose channels keep Webix records
     * @param maxRecords     records one storage channel may hold
     * @param maxRecordBytes bytes of records one storage channel may hold
     * @param maxChannels    channels kept at once (history and storage together)
     * @throws IllegalArgumentException naming the first spec or pattern that is wrong
     */
    public static StorageRules of(List<String> historySpecs, List<String> statePatterns, int maxRecords,
                                  long maxRecordBytes, int maxChannels) {
        List<HistoryRule> rules = new ArrayList<>();
        for (String spec : historySpecs) {
            rules.add(HistoryRule.parse(spec));
        }
        for (String pattern : statePatterns) {
            checkPattern(pattern);
        }
        return new StorageRules(rules, statePatterns, maxRecords, maxRecordBytes, maxChannels, null,
                StorageLog.Fsync.EVERY_SECOND);
    }

    /**
     * These rules, with what is kept written to an append-only file in {@code dir} and read back at the
     * next start; {@code dir} null keeps everything in memory only.
     */
    public StorageRules persistedIn(Path dir, StorageLog.Fsync when) {
        return new StorageRules(history, statePatterns, maxRecords, maxRecordBytes, maxChannels, dir, when);
    }

    /** Where what is kept is written ({@code --data-dir}), or null for memory only. */
    public Path dataDir() {
        return dataDir;
    }

    StorageLog.Fsync fsync() {
        return fsync;
    }

    public boolean isEmpty() {
        return history.isEmpty() && statePatterns.isEmpty();
    }

    /** The first history rule whose pattern matches {@code channel}, or {@code null}. */
    HistoryRule historyFor(String channel) {
        for (HistoryRule rule : history) {
            if (ChannelName.matches(rule.pattern(), channel)) {
                return rule;
            }
        }
        return null;
    }

    boolean isState(String channel) {
        for (String pattern : statePatterns) {
            if (ChannelName.matches(pattern, channel)) {
                return true;
            }
        }
        return false;
    }

    /** Records one storage channel may hold (also the most a new subscriber can be handed at once). */
    public int maxRecordsPerChannel() {
        return maxRecords;
    }

    long maxRecordBytes() {
        return maxRecordBytes;
    }

    int maxChannels() {
        return maxChannels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageRules r && history.equals(r.history) && statePatterns.equals(r.statePatterns)
                && maxRecords == r.maxRecords && maxRecordBytes == r.maxRecordBytes && maxChannels == r.maxChannels
                && Objects.equals(dataDir, r.dataDir) && fsync == r.fsync;
    }

    @Override
    public int hashCode() {
        return Objects.hash(history, statePatterns, maxRecords, maxRecordBytes, maxChannels, dataDir, fsync);
    }

    @Override
    public String toString() {
        return "StorageRules{history=" + history + ", state=" + statePatterns + ", maxRecords=" + maxRecords
                + ", maxRecordBytes=" + maxRecordBytes + ", maxChannels=" + maxChannels + ", dataDir=" + dataDir
                + ", fsync=" + fsync + '}';
    }

    /** Whether {@code spec} is a valid {@code PATTERN=N[/T]}; for the setting's check. */
    public static boolean isHistorySpec(String spec) {
        try {
            HistoryRule.parse(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code pattern} may name storage channels; for the setting's check. */
    public static boolean isStoragePattern(String pattern) {
        try {
            checkPattern(pattern);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkPattern(String pattern) {
        if (!ChannelName.isValid(pattern) || ChannelName.isMeta(pattern) || ChannelName.isService(pattern)) {
            throw new IllegalArgumentException("not a channel or pattern outside /meta and /service: " + pattern);
        }
    }

    /** Keep the last {@code maxMessages} of each matching channel, none older than {@code maxAgeMillis} (0: any age). */
    record HistoryRule(String pattern, int maxMessages, long maxAgeMillis) {
        static HistoryRule parse(String spec) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected PATTERN=N or PATTERN=N/T: " + spec);
            }
            String pattern = spec.substring(0, eq).trim();
            checkPattern(pattern);
            String size = spec.substring(eq + 1).trim();
            int slash = size.indexOf('/');
            try {
                int n = Integer.parseInt(slash < 0 ? size : size.substring(0, slash));
                long seconds = slash < 0 ? 0 : Long.parseLong(size.substring(slash + 1));
                if (n < 1 || n > 1_000_000 || seconds < 0) {
                    throw new IllegalArgumentException("N must be 1 to 1000000 and T at least 0: " + spec);
                }
                return new HistoryRule(pattern, n, seconds * 1000);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected PATTERN=N or PATTERN=N/T: " + spec);
            }
        }
    }
}
