package io.bayeuxd.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.protocol.JsonValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * The current records of one storage channel, by id, as Webix's {@code faye} proxy publishes them:
 * {@code {operation: "insert"|"update"|"delete", data: {id, ...}, id, clientId}}. Insert adds (or
 * replaces), update merges the given fields (adding the record if it is missing), delete removes.
 * Not thread-safe: its {@link StoredChannel} guards it.
 *
 * <p>Each record keeps, beside its fields, the message that hands it to a new subscriber as an
 * {@code insert}, encoded once when the record changes: a page refresh then costs a reference per
 * record, not an encoding. Owns one reference to each such buffer until the record changes or goes.
 */
final class Records {
    /** The {@code clientId} of the inserts that replay the records; no live client has it. */
    static final String REPLAY_CLIENT_ID = "bayeuxd-storage";

    private final int maxRecords;
    private final long maxBytes;
    private final LinkedHashMap<String, Record> byId = new LinkedHashMap<>();
    private long bytes;
    /**
     * {@code {channel, data: {operation: "reset", clientId}}}, which goes ahead of every hand-over of the
     * records: a page that had the list before (its session was lost and it subscribes again) clears it
     * first, so records deleted meanwhile go too. Webix's own proxy ignores an operation it does not know.
     */
    private final byte[] resetMessage;

    Records(String channel, int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        ObjectNode reset = JsonNodeFactory.instance.objectNode();
        reset.put("channel", channel);
        reset.putObject("data").put("operation", "reset").put("clientId", REPLAY_CLIENT_ID);
        this.resetMessage = JsonValue.of(reset).bytes();
    }

    /**
     * Reads one publication and works out what it would change, changing nothing yet.
     *
     * @return the change, or one with an {@link Change#error()} text when the publication is not a
     * storage operation or would break the bounds
     */
    Change prepare(JsonValue data) {
        JsonNode op = data.isObject() ? data.tree() : null;
        String operation = op == null ? null : op.path("operation").asText(null);
        if (operation == null || !(operation.equals("insert") || operation.equals("update") || operation.equals("delete"))) {
            return Change.refused("Not a storage operation (operation must be insert, update or delete)");
        }
        JsonNode fields = op.get("data");
        JsonNode id = fields != null && fields.hasNonNull("id") ? fields.get("id") : op.get("id");
        if (id == null || !(id.isTextual() || id.isNumber())) {
            return Change.refused("Missing record id (data.id)");
        }
        String key = id.isTextual() ? id.textValue() : id.asText();
        Record old = byId.get(key);
        if (operation.equals("delete")) {
            return new Change(key, null, 0, null);
        }
        if (fields == null || !fields.isObject()) {
            return Change.refused("Missing record fields (data)");
        }
        ObjectNode record;
        if (operation.equals("update") && old != null) {
            record = old.fields().deepCopy();
            record.setAll((ObjectNode) fields);
        } else {
            record = ((ObjectNode) fields).deepCopy();
        }
        if (!record.has("id")) {
            record.set("id", id);
        }
        JsonValue encoded = JsonValue.of(record);
        long newBytes = bytes - (old == null ? 0 : old.bytes()) + encoded.bytes().length;
        if (old == null && byId.size() >= maxRecords) {
            return Change.refused("Storage channel is full (" + maxRecords + " records)");
        }
        if (newBytes > maxBytes) {
            return Change.refused("Storage channel is full (" + maxBytes + " bytes)");
        }
        return new Change(key, record, encoded.bytes().length, null);
    }

    /**
     * Applies a change from {@link #prepare} (with no error).
     *
     * @param encodeInsert builds the replay message of a record's {@code insert}; returns a buffer
     *                     this store then owns
     */
    void commit(Change change, Function<JsonValue, ByteBuf> encodeInsert) {
        Record old = change.record() == null ? byId.remove(change.key()) : null;
        if (change.record() != null) {
            ObjectNode insert = JsonNodeFactory.instance.objectNode();
            insert.put("operation", "insert");
            insert.set("data", change.record());
            insert.set("id", change.record().get("id"));
            insert.put("clientId", REPLAY_CLIENT_ID);
            ByteBuf message = encodeInsert.apply(JsonValue.of(insert));
            old = byId.put(change.key(), new Record(change.record(), change.bytes(), message));
            bytes += change.bytes();
        }
        if (old != null) {
            bytes -= old.bytes();
            old.insertMessage().release();
        }
    }

    /** The publication data of an insert of {@code record}: how a record kept elsewhere is taken in. */
    static JsonValue insertOf(JsonValue record) {
        ObjectNode insert = JsonNodeFactory.instance.objectNode();
        insert.put("operation", "insert");
        insert.set("data", record.tree());
        return JsonValue.of(insert);
    }

    /**
     * A reset, then every record's insert message, in first-insert order; each record's retained once
     * (the caller owns those references, and the reset's, a buffer of its own).
     */
    List<ByteBuf> snapshot() {
        List<ByteBuf> out = new ArrayList<>(byId.size() + 1);
        out.add(Unpooled.wrappedBuffer(resetMessage));
        for (Record r : byId.values()) {
            out.add(r.insertMessage().retain());
        }
        return out;
    }

    /** Calls {@code each} with every record's insert message; for compacting the storage log. */
    void forEach(java.util.function.Consumer<ByteBuf> each) {
        for (Record r : byId.values()) {
            each.accept(r.insertMessage());
        }
    }

    int size() {
        return byId.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        for (Record r : byId.values()) {
            r.insertMessage().release();
        }
        byId.clear();
        bytes = 0;
    }

    /** What one publication changes: a record to put ({@code record}) or to remove (null record). */
    record Change(String key, ObjectNode record, int bytes, String error) {
        static Change refused(String error) {
            return new Change(null, null, 0, error);
        }
    }

    private record Record(ObjectNode fields, int bytes, ByteBuf insertMessage) {
    }
}
