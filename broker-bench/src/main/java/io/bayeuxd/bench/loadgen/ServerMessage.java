package io.bayeuxd.bench.loadgen;

/**
 * The few fields of one server message that the generator acts on. A {@link ServerFrameParser}
 * reuses one instance for every message it reads, so a sink MUST NOT keep a reference to it past
 * {@link ServerMessageSink#onMessage(ServerMessage)}.
 */
public final class ServerMessage {

    /** What {@code channel} names; meta channels are told apart without allocating a String. */
    public enum Kind { NONE, HANDSHAKE, CONNECT, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, OTHER_META, SERVICE, BROADCAST }

    /** Value of {@code advice.reconnect}, or {@link #ABSENT}. */
    public enum Reconnect { ABSENT, RETRY, HANDSHAKE, NONE, UNKNOWN }

    public Kind kind;
    /** {@code successful} as sent; null when the message carries none (a delivery, for example). */
    public Boolean successful;
    public String clientId;
    public String error;
    public Reconnect reconnect;
    /** {@code advice.interval} in milliseconds, or -1 when absent. */
    public long adviceIntervalMs;
    /** {@code advice.timeout} in milliseconds, or -1 when absent. */
    public long adviceTimeoutMs;
    /** Whether the message has a {@code data} member of any type. */
    public boolean hasData;
    /** Whether {@code data} is an object with an integral {@code ts}; only then are ts and seq meaningful. */
    public boolean hasTimestamp;
    public long timestamp;
    public long sequence;

    ServerMessage() {
        reset();
    }

    void reset() {
        kind = Kind.NONE;
        successful = null;
        clientId = null;
        error = null;
        reconnect = Reconnect.ABSENT;
        adviceIntervalMs = -1;
        adviceTimeoutMs = -1;
        hasData = false;
        hasTimestamp = false;
        timestamp = 0;
        sequence = -1;
    }

    public boolean isSuccessful() {
        return Boolean.TRUE.equals(successful);
    }

    /** A reply to a publish: a non-meta message with {@code successful} and no data. */
    public boolean isPublishReply() {
        return (kind == Kind.BROADCAST || kind == Kind.SERVICE) && !hasData && successful != null;
    }

    @Override
    public String toString() {
        return "ServerMessage{kind=" + kind + ", successful=" + successful + ", clientId=" + clientId
                + ", error=" + error + ", reconnect=" + reconnect + ", interval=" + adviceIntervalMs
                + ", hasData=" + hasData + ", ts=" + (hasTimestamp ? timestamp : "-") + ", seq=" + sequence + "}";
    }
}
