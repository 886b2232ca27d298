package io.bayeuxd.protocol;

import io.bayeuxd.api.BayeuxMessage;

import java.util.List;

/**
 * One Bayeux message, as decoded from a request or built as a reply.
 *
 * <p>Field names follow the Bayeux specification. {@code data}, {@code ext} and {@code id} are kept as
 * raw JSON ({@link JsonValue}) so that the broker echoes and forwards them byte for byte without a
 * tree. Fields the broker does not know are dropped by the decoder. Not thread-safe: a message belongs
 * to the request that carries it until it is published, after which it is encoded once and no longer
 * touched.
 *
 * <p>Extensions and security policies see it through {@link BayeuxMessage}, which sets only {@code data},
 * {@code ext} and {@code error}; the other setters are the codec's and the broker's.
 */
public final class Message implements BayeuxMessage {
    private String channel;
    private String clientId;
    private JsonValue id;
    private JsonValue data;
    private JsonValue ext;
    private String connectionType;
    private List<String> supportedConnectionTypes;
    private String version;
    private String minimumVersion;
    /** The subscription field as channels; {@code subscriptionIsArray} says how it was written. */
    private List<String> subscription;
    private boolean subscriptionIsArray;
    private Boolean successful;
    private String error;
    private Advice advice;

    @Override
    public String channel() { return channel; }
    public Message channel(String channel) { this.channel = channel; return this; }

    @Override
    public String clientId() { return clientId; }
    public Message clientId(String clientId) { this.clientId = clientId; return this; }

    @Override
    public JsonValue id() { return id; }
    public Message id(JsonValue id) { this.id = id; return this; }

    @Override
    public JsonValue data() { return data; }
    @Override
    public Message data(JsonValue data) { this.data = data; return this; }

    @Override
    public JsonValue ext() { return ext; }
    @Override
    public Message ext(JsonValue ext) { this.ext = ext; return this; }

    @Override
    public String connectionType() { return connectionType; }
    public Message connectionType(String connectionType) { this.connectionType = connectionType; return this; }

    @Override
    public List<String> supportedConnectionTypes() { return supportedConnectionTypes; }
    public Message supportedConnectionTypes(List<String> types) { this.supportedConnectionTypes = types; return this; }

    @Override
    public String version() { return version; }
    public Message version(String version) { this.version = version; return this; }

    @Override
    public String minimumVersion() { return minimumVersion; }
    public Message minimumVersion(String minimumVersion) { this.minimumVersion = minimumVersion; return this; }

    @Override
    public List<String> subscription() { return subscription; }
    public boolean subscriptionIsArray() { return subscriptionIsArray; }
    public Message subscription(List<String> channels, boolean asArray) {
        this.subscription = channels;
        this.subscriptionIsArray = asArray;
        return this;
    }

    @Override
    public Boolean successful() { return successful; }
    public Message successful(Boolean successful) { this.successful = successful; return this; }

    @Override
    public String error() { return error; }
    @Override
    public Message error(String error) { this.error = error; return this; }

    @Override
    public Advice advice() { return advice; }
    public Message advice(Advice advice) { this.advice = advice; return this; }

    @Override
    public String toString() {
        return "Message{channel=" + channel + ", clientId=" + clientId + ", id=" + id + ", successful=" + successful
                + ", error=" + error + ", subscription=" + subscription + ", data=" + data + ", ext=" + ext + '}';
    }
}
