package io.bayeuxd.bench.loadgen;

/**
 * The few fields of one server message that the generator acts on. A {@link ServerFrameParser}
 * reuses one instance for every message it reads, so a sink MUST NOT keep a reference to it past
 * {@link ServerMessageSink#onMessage(ServerMessage)}.
 */
final class ServerMessage {

    /** What {@code channel} names; meta channels are told apart without allocating a String. */
    enum Kind { NONE, HANDSHAKE, CONNECT, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, OTHER_META, SERVICE, BROADCAST }

    /** Value of {@code advice.reconnect}, or {@link #ABSENT}. */
    enum Reconnect { ABSENT, RETRY, HANDSHAKE, NONE, UNKNOWN }

    Kind kind;
    /** {@code successful} as sent; null when the message carries none (a delivery, for example). */
    Boolean successful;
    String clientId;
    String error;
    Reconnect reconnect;
    /** {@code advice.interval} in milliseconds, or -1 when absent. */
    long adviceIntervalMs;
    /** {@code advice.timeout} in milliseconds, or -1 when absent. */
    long adviceTimeoutMs;
    /** Whether the message has a {@code data} member of any type. */
    boolean hasData;
    /** Whether {@code data} is an object with an integral {@code ts}; only then are ts and seq meaningful. */
    boolean hasTimestamp;
    long timestamp;
    long sequence;

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

    boolean isSuccessful() {
        return Boolean.TRUE.equals(successful);
    }

    /** A reply to a publish: a non-meta message with {@code successful} and no data. */
    boolean isPublishReply() {
        return (kind == Kind.BROADCAST || kind == Kind.SERVICE) && !hasData && successful != null;
    }

    @Override
    public String toString() {
        return "ServerMessage{kind=" + kind + ", successful=" + successful + ", clientId=" + clientId
                + ", error=" + error + ", reconnect=" + reconnect + ", interval=" + adviceIntervalMs
                + ", hasData=" + hasData + ", ts=" + (hasTimestamp ? timestamp : "-") + ", seq=" + sequence + "}";
    }
}
