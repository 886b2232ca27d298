package io.bayeuxd.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON value kept as the exact UTF-8 bytes it arrived as.
 *
 * <p>The codec never builds a tree for {@code data} or {@code ext}: it slices their bytes out of the
 * request and the encoder writes them back verbatim. Only an extension that wants to look inside
 * pays for {@link #tree()}. Instances are immutable; {@link #bytes()} must not be modified.
 */
public final class JsonValue {
    static final ObjectMapper MAPPER = new ObjectMapper();

    public static final JsonValue NULL = new JsonValue("null".getBytes(StandardCharsets.US_ASCII));

    private final byte[] utf8;
    private volatile JsonNode tree;

    private JsonValue(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** Wraps bytes that are already one well-formed JSON value; takes ownership of the array. */
    public static JsonValue ofTrustedBytes(byte[] utf8) {
        return new JsonValue(utf8);
    }

    /** Parses and validates {@code json}; throws {@link IllegalArgumentException} when it is not one JSON value. */
    public static JsonValue parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("not a JSON value");
            }
            return of(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON value: " + e.getOriginalMessage());
        }
    }

    /** Serialises a tree (for extensions that build or modify values). */
    public static JsonValue of(JsonNode node) {
        try {
            JsonValue value = new JsonValue(MAPPER.writeValueAsBytes(node));
            value.tree = node.deepCopy();
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string value. */
    public static JsonValue ofString(String s) {
        return of(MAPPER.getNodeFactory().textNode(s));
    }

    /** The raw UTF-8 JSON bytes; callers must not modify them. */
    public byte[] bytes() {
        return utf8;
    }

    /**
     * A parsed copy of this value, built on first use. Modifying the returned tree does not change
     * this value: build a new one with {@link #of(JsonNode)}.
     */
    public JsonNode tree() {
        JsonNode t = tree;
        if (t == null) {
            try {
                t = MAPPER.readTree(utf8);
            } catch (IOException e) {
                throw new IllegalStateException("JsonValue holds invalid JSON", e);
            }
            tree = t;
        }
        return t.deepCopy();
    }

    public boolean isString() {
        return utf8.length > 0 && utf8[0] == '"';
    }

    public boolean isObject() {
        return utf8.length > 0 && utf8[0] == '{';
    }

    public boolean isNull() {
        return utf8.length == 4 && utf8[0] == 'n';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonValue other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
