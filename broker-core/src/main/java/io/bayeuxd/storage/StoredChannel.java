package io.bayeuxd.storage;

import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One channel the broker keeps something for: its history (the last messages, each with a position),
 * its Webix records, or both.
 *
 * <p>Why a lock here, when the publish path has none: a new subscriber must get what the channel kept
 * and then live traffic, with no gap and no duplicate between the two. So a publication of this channel
 * (position, fan-out, keeping) and a subscription to it (joining the index, handing over what was kept)
 * take turns on this object's monitor. Only channels that keep something pay for it; the rest never
 * come here. What a subscriber is handed goes ahead of its live queue ({@link Session#offerReplays}), so
 * it is delivered before anything published after the hand-over.
 */
public final class StoredChannel {
    private final String name;
    /** Changes only in a cluster, when the cluster's epoch for this channel turns out to differ. */
    private String epoch;
    private final History history;
    private final Records records;
    /** The position of the latest message; guarded by this. */
    private long position;
    private long lastUsedMillis;
    private boolean removed;
    /** The {@code --data-dir} log, or null. */
    private final StorageLog storageLog;
    private final byte logKind;
    /** Whether the cluster bus numbers this channel's publications (the Redis engine), not this node. */
    private final boolean numberedByCluster;

    StoredChannel(String name, String epoch, History history, Records records, StorageLog storageLog,
                  boolean numberedByCluster, long nowMillis) {
        this.name = name;
        this.numberedByCluster = numberedByCluster;
        this.storageLog = storageLog;
        this.logKind = (byte) ((history != null ? StorageLog.HISTORY : 0) | (records != null ? StorageLog.RECORD : 0));
        this.epoch = epoch;
        this.history = history;
        this.records = records;
        this.lastUsedMillis = nowMillis;
    }

    /** Encodes and fans out one publication; the broker's publish handler. */
    public interface Publisher {
        /** Encodes {@code message} for delivery; the caller owns the buffer returned. */
        ByteBuf encode(Message message);

        /** Queues {@code encoded} for every subscriber; BORROWS it. */
        void fanOut(ByteBuf encoded);
    }

    /**
     * Publishes {@code message} on this channel: a storage channel first checks and applies the record
     * operation (and refuses the publication, changing nothing, when it is not one or breaks a bound);
     * a history channel stamps the next position into its {@code ext} and keeps the encoded message.
     *
     * @return a Bayeux error for the publisher, or {@code null} when it was published
     */
    synchronized String publish(Message message, long nowMillis, Publisher publisher) {
        if (removed) {
            return StoredChannels.GONE;
        }
        Records.Change change = null;
        if (records != null) {
            change = records.prepare(message.data());
            if (change.error() != null) {
                return BayeuxError.format(407, change.error(), name);
            }
        }
        deliver(message, position + 1, change, nowMillis, publisher);
        return null;
    }

    /**
     * Numbers {@code message} {@code at} (with history), encodes it once, writes it to the storage log,
     * hands it to the subscribers, keeps it, and applies its record {@code change} (if any). Under this
     * monitor.
     */
    private void deliver(Message message, long at, Records.Change change, long nowMillis, Publisher publisher) {
        if (history != null) {
            message.ext(Positions.stamp(message.ext(), at, epoch));
        }
        ByteBuf encoded = publisher.encode(message);
        try {
            if (storageLog != null) {
                // Written before anyone is handed the message: what a subscriber saw, a restart keeps.
                storageLog.append(logKind, name, epoch, at, System.currentTimeMillis(), encoded);
            }
            publisher.fanOut(encoded);
            if (history != null) {
                history.append(at, encoded.retain(), nowMillis);
            }
            if (change != null) {
                records.commit(change, insert -> publisher.encode(new Message().channel(name).data(insert)));
            }
        } finally {
            encoded.release();
        }
        position = at;
        lastUsedMillis = nowMillis;
    }

    /**
     * In a cluster: checks the publication against what this node keeps, and hands it to the bus to be
     * numbered in the cluster's order; it comes back to every node, this one too, through
     * {@link #publishNumbered}.
     *
     * @return a Bayeux error for the publisher, or {@code null} when it was sent
     */
    synchronized String sequence(Message message, Publisher publisher, ClusterBus bus) {
        if (removed) {
            return StoredChannels.GONE;
        }
        Records.Change change = null;
        if (records != null) {
            change = records.prepare(message.data());
            if (change.error() != null) {
                return BayeuxError.format(407, change.error(), name);
            }
        }
        if (!bus.isHealthy()) {
            return BayeuxError.format(407, "The cluster cannot be reached", name);
        }
        ByteBuf encoded = publisher.encode(message);
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(encoded, encoded.readerIndex(), encoded.readableBytes());
        } finally {
            encoded.release();
        }
        String recordId = change == null ? null : change.key();
        byte[] record = change == null || change.record() == null ? null : JsonValue.of(change.record()).bytes();
        bus.sequence(name, bytes, epoch, history == null ? 0 : history.capacity(), recordId, record);
        return null;
    }

    /**
     * In a cluster: a publication numbered by the bus, {@code at} in the cluster's {@code clusterEpoch},
     * applied as {@link #publish} would (records, position, local fan-out, history) but at the cluster's
     * position. Copies already applied are skipped; after a gap (the bus lost publications) the history
     * starts again at {@code at}, so that no recovery spans the gap.
     *
     * @return false, having done nothing, when the channel was removed meanwhile
     */
    synchronized boolean publishNumbered(Message message, long at, String clusterEpoch, long nowMillis, Publisher publisher) {
        if (removed) {
            return false;
        }
        adopt(clusterEpoch);
        if (at <= position) {
            return true;
        }
        if (history != null && at != position + 1) {
            history.clear();
        }
        Records.Change change = records == null ? null : records.prepare(message.data());
        deliver(message, at, change == null || change.error() != null ? null : change, nowMillis, publisher);
        return true;
    }

    /** In a cluster, at start: a record the cluster keeps. */
    synchronized void restoreRecord(String clusterEpoch, long at, JsonValue record, Publisher publisher) {
        adopt(clusterEpoch);
        if (records != null) {
            Records.Change change = records.prepare(Records.insertOf(record));
            if (change.error() == null) {
                records.commit(change, insert -> publisher.encode(new Message().channel(name).data(insert)));
            }
        }
        position = Math.max(position, at);
    }

    /** Takes the cluster's epoch; what was kept under another one no longer counts. */
    private void adopt(String clusterEpoch) {
        if (!clusterEpoch.equals(epoch)) {
            epoch = clusterEpoch;
            position = 0;
            if (history != null) {
                history.clear();
            }
        }
    }

    /**
     * Subscribes {@code session} and hands it, ahead of live traffic, what it asked for: with
     * {@code ext.recover} on a history channel, the messages after its recovery point when history
     * still reaches back there in the same epoch; on a storage channel, unless a recovery did it, the
     * current records as inserts.
     *
     * @param subscribe   joins the index; returns whether the session was not subscribed already
     * @param replayLimit most replayed messages a session may have waiting
     * @return the reply's {@code ext} and the recovery's outcome; null, having done nothing, when the
     * channel was removed meanwhile
     */
    synchronized Subscribed subscribe(Session session, JsonValue requestExt, BooleanSupplier subscribe,
                                            int replayLimit, long nowMillis) {
        if (removed) {
            return null;
        }
        boolean added = subscribe.getAsBoolean();
        lastUsedMillis = nowMillis;
        Boolean recovered = null;
        if (history != null) {
            history.expire(nowMillis);
            Positions.RecoveryPoint from = Positions.recoveryPoint(requestExt, name);
            if (from != null) {
                if (!epoch.equals(from.epoch())) {
                    recovered = false;
                } else if (from.position() > position) {
                    // Ahead of this channel: on a node alone that means its history was lost. In a cluster
                    // this node may only be behind: what it has not applied yet comes live, and the client
                    // drops what it saw already by position.
                    recovered = numberedByCluster;
                } else {
                    recovered = history.reachesBackTo(from.position(), position)
                            && handOver(session, history.after(from.position()), replayLimit);
                }
            }
        }
        // A new subscriber gets the records; so does one whose recovery failed, whatever it holds is stale.
        if (records != null && (added ? !Boolean.TRUE.equals(recovered) : Boolean.FALSE.equals(recovered))) {
            handOver(session, records.snapshot(), replayLimit);
        }
        return new Subscribed(history == null ? null : Positions.reply(position, epoch, recovered), recovered);
    }

    /** @param recovered null when no recovery was asked for */
    record Subscribed(JsonValue replyExt, Boolean recovered) {
    }

    private static boolean handOver(Session session, List<ByteBuf> messages, int limit) {
        if (session.offerReplays(messages, limit)) {
            return true;
        }
        for (ByteBuf m : messages) {
            m.release();
        }
        return false;
    }

    /**
     * Lets go of history older than its age limit.
     *
     * @return whether nothing is left to keep and the channel was not used for {@code idleMillis}
     */
    synchronized boolean expire(long nowMillis, long idleMillis) {
        if (history != null) {
            history.expire(nowMillis);
        }
        return isIdle(nowMillis, idleMillis);
    }

    /**
     * Removes the channel if it is still idle: a publication or subscribe since {@link #expire} keeps it.
     * A later channel of the same name starts a new epoch.
     *
     * @return whether the channel is now removed
     */
    synchronized boolean removeIfIdle(long nowMillis, long idleMillis) {
        if (isIdle(nowMillis, idleMillis)) {
            removed = true;
        }
        return removed;
    }

    /**
     * Takes back one entry of the storage log at start. TAKES {@code message}'s reference.
     *
     * @param kind which of history ({@link StorageLog#HISTORY}) and records ({@link StorageLog#RECORD})
     *             the entry was kept for
     */
    synchronized void restore(byte kind, long entryPosition, long atMillis, ByteBuf message, JsonValue data,
                              java.util.function.Function<JsonValue, ByteBuf> encodeInsert) {
        try {
            if ((kind & StorageLog.HISTORY) != 0 && history != null) {
                history.append(entryPosition, message.retain(), atMillis);
            }
            if ((kind & StorageLog.RECORD) != 0 && records != null && data != null) {
                Records.Change change = records.prepare(data);
                if (change.error() == null) {
                    records.commit(change, encodeInsert);
                }
            }
            position = Math.max(position, entryPosition);
        } finally {
            message.release();
        }
    }

    /**
     * Writes what this channel keeps now to a rewrite of the storage log, records as inserts, then
     * history, and tells {@code writer} it is done, all under this monitor (so no publication of this
     * channel falls between the copy and the switch).
     */
    synchronized void compactInto(StorageLog.EntryWriter writer, long nowMillis, long nowWallMillis) {
        if (!removed) {
            if (records != null) {
                records.forEach(insert -> writer.write(StorageLog.RECORD, name, epoch, position, nowWallMillis, insert));
            }
            if (history != null) {
                history.forEach((at, atMillis, message) -> writer.write(StorageLog.HISTORY, name, epoch, at,
                        nowWallMillis - (nowMillis - atMillis), message));
            }
        }
        writer.channelDone(name);
    }

    private boolean isIdle(long nowMillis, long idleMillis) {
        boolean empty = (history == null || history.isEmpty()) && (records == null || records.size() == 0);
        return empty && nowMillis - lastUsedMillis > idleMillis;
    }

    synchronized void release() {
        removed = true;
        if (history != null) {
            history.clear();
        }
        if (records != null) {
            records.clear();
        }
    }

    synchronized int historySize() {
        return history == null ? 0 : history.size();
    }

    synchronized int recordCount() {
        return records == null ? 0 : records.size();
    }

    synchronized String epoch() {
        return epoch;
    }

    synchronized long position() {
        return position;
    }
}
