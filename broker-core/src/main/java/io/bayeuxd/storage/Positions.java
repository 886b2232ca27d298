package io.bayeuxd.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.protocol.JsonValue;

import java.nio.charset.StandardCharsets;

/**
 * The {@code ext} fields of history: every message of a history channel carries
 * {@code ext: {position, epoch}}, and a subscribe may ask for what came after one with
 * {@code ext: {recover: {position, epoch}}}.
 */
final class Positions {
    static final String POSITION = "position";
    static final String EPOCH = "epoch";
    static final String RECOVER = "recover";
    static final String RECOVERED = "recovered";

    private Positions() {
    }

    /**
     * {@code ext} with the message's position and the channel's epoch in it. A publisher's own
     * {@code position} or {@code epoch} is replaced, so no client can forge them.
     */
    static JsonValue stamp(JsonValue ext, long position, String epoch) {
        if (ext == null || !ext.isObject()) {
            // The common case, written directly: {"position":N,"epoch":"E"} (an epoch needs no escaping).
            String json = "{\"" + POSITION + "\":" + position + ",\"" + EPOCH + "\":\"" + epoch + "\"}";
            return JsonValue.ofTrustedBytes(json.getBytes(StandardCharsets.US_ASCII));
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merged.put(POSITION, position);
        merged.put(EPOCH, epoch);
        ObjectNode own = (ObjectNode) ext.tree();
        own.remove(POSITION);
        own.remove(EPOCH);
        merged.setAll(own);
        return JsonValue.of(merged);
    }

    /** The ext of a subscribe reply on a history channel: where the channel is now, and the recovery's outcome. */
    static JsonValue reply(long position, String epoch, Boolean recovered) {
        ObjectNode ext = JsonNodeFactory.instance.objectNode();
        ext.put(POSITION, position);
        ext.put(EPOCH, epoch);
        if (recovered != null) {
            ext.put(RECOVERED, recovered);
        }
        return JsonValue.of(ext);
    }

    /**
     * The recovery point a subscribe to {@code channel} asks for: {@code ext.recover} as
     * {@code {position, epoch}}, or as a map of such by channel (for a subscribe to several). Null when
     * it asks for none or the request is malformed.
     */
    static RecoveryPoint recoveryPoint(JsonValue ext, String channel) {
        if (ext == null || !ext.isObject()) {
            return null;
        }
        JsonNode recover = ext.tree().get(RECOVER);
        if (recover != null && recover.isObject() && !recover.has(EPOCH)) {
            recover = recover.get(channel);
        }
        if (recover == null || !recover.isObject() || !recover.path(POSITION).canConvertToLong()
                || !recover.path(POSITION).isNumber() || !recover.path(EPOCH).isTextual()) {
            return null;
        }
        return new RecoveryPoint(recover.get(POSITION).asLong(), recover.get(EPOCH).textValue());
    }

    /** The last position a client saw on a channel, in the epoch it saw it in. */
    record RecoveryPoint(long position, String epoch) {
    }
}
