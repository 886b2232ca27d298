package io.bayeuxd.bench.loadgen;

/** Receives the messages of a frame, in order, from {@link ServerFrameParser}. */
public interface ServerMessageSink {

    /** @param message reused by the parser: read it now, MUST NOT keep it */
    void onMessage(ServerMessage message);
}
