package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.ClusterBus;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Stored channels (history, records) of a cluster, kept in Redis: one script numbers each publication
 * of a channel, keeps it, updates the channel's record and publishes it to every node on one Redis
 * channel, all at once, so that every node applies the same publications in the same order. A node that
 * starts reads back what Redis keeps ({@link #readBack}).
 *
 * <p>Keys, per stored channel {@code C}: {@code <prefix>stored:C:seq} (the latest position),
 * {@code :epoch}, {@code :history} (the last publications, a list), {@code :records} (a hash of record
 * id to fields); and {@code <prefix>stored-channels}, the set of their names. A numbered publication,
 * as kept and as published: {@code <position> <epoch> <publication JSON>}.
 */
final class RedisStoredChannels {
    /**
     * KEYS: seq, epoch, history, records, names. ARGV: publication, new epoch, keep, Redis channel, channel
     * name, record id ('' for none), record fields ('' to delete). Returns the position.
     */
    private static final String NUMBER_SCRIPT = String.join("\n",
            "local e = redis.call('GET', KEYS[2])",
            "if not e then e = ARGV[2]; redis.call('SET', KEYS[2], e) end",
            "redis.call('SADD', KEYS[5], ARGV[5])",
            "local p = redis.call('INCR', KEYS[1])",
            "local m = p .. ' ' .. e .. ' ' .. ARGV[1]",
            "local keep = tonumber(ARGV[3])",
            "if keep > 0 then redis.call('RPUSH', KEYS[3], m); redis.call('LTRIM', KEYS[3], -keep, -1) end",
            "if ARGV[6] ~= '' then",
            "  if ARGV[7] == '' then redis.call('HDEL', KEYS[4], ARGV[6]) else redis.call('HSET', KEYS[4], ARGV[6], ARGV[7]) end",
            "end",
            "redis.call('PUBLISH', ARGV[4], m)",
            "return p");
    private static final byte[] NONE = new byte[0];

    private final String prefix;
    /** The Redis channel every node listens on for numbered publications. */
    private final String redisChannel;

    RedisStoredChannels(String prefix) {
        this.prefix = prefix;
        this.redisChannel = prefix + "stored";
    }

    String redisChannel() {
        return redisChannel;
    }

    /** Numbers, keeps and publishes one publication of {@code channel}; completes with its position. */
    CompletionStage<Long> number(StatefulRedisConnection<String, byte[]> link, String channel, byte[] publication,
                                 String newEpoch, int keep, String recordId, byte[] record) {
        String[] keys = {key(channel, "seq"), key(channel, "epoch"), key(channel, "history"), key(channel, "records"),
                prefix + "stored-channels"};
        byte[][] args = {publication, utf8(newEpoch), utf8(Integer.toString(keep)), utf8(redisChannel), utf8(channel),
                recordId == null ? NONE : utf8(recordId), record == null ? NONE : record};
        return link.async().eval(NUMBER_SCRIPT, ScriptOutputType.INTEGER, keys, args);
    }

    /**
     * Hands {@code sink} what Redis keeps for every stored channel: its records, then its kept
     * publications, oldest first. Blocks on Redis; call at start, off every event loop.
     */
    void readBack(StatefulRedisConnection<String, byte[]> link, ClusterBus.Sequenced sink) {
        RedisCommands<String, byte[]> redis = link.sync();
        for (byte[] nameBytes : redis.smembers(prefix + "stored-channels")) {
            String channel = new String(nameBytes, StandardCharsets.UTF_8);
            byte[] epoch = redis.get(key(channel, "epoch"));
            byte[] seq = redis.get(key(channel, "seq"));
            if (epoch == null || seq == null) {
                continue;
            }
            String e = new String(epoch, StandardCharsets.UTF_8);
            long position = Long.parseLong(new String(seq, StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> record : redis.hgetall(key(channel, "records")).entrySet()) {
                sink.record(channel, e, position, record.getValue());
            }
            List<byte[]> kept = redis.lrange(key(channel, "history"), 0, -1);
            for (byte[] numbered : kept) {
                deliver(numbered, sink);
            }
        }
    }

    /** Hands one numbered publication, {@code <position> <epoch> <JSON>}, to {@code sink}; ignores what does not parse. */
    static boolean deliver(byte[] numbered, ClusterBus.Sequenced sink) {
        int space1 = indexOf(numbered, 0);
        int space2 = space1 < 0 ? -1 : indexOf(numbered, space1 + 1);
        if (space2 < 0) {
            return false;
        }
        long position;
        try {
            position = Long.parseLong(new String(numbered, 0, space1, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return false;
        }
        String epoch = new String(numbered, space1 + 1, space2 - space1 - 1, StandardCharsets.UTF_8);
        byte[] publication = new byte[numbered.length - space2 - 1];
        System.arraycopy(numbered, space2 + 1, publication, 0, publication.length);
        sink.publication(position, epoch, publication);
        return true;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private String key(String channel, String what) {
        return prefix + "stored:" + channel + ":" + what;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
