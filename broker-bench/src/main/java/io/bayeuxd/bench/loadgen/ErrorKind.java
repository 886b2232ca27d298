package io.bayeuxd.bench.loadgen;

/** What went wrong, for the error breakdown in the report. */
enum ErrorKind {
    /** A connection could not be opened, or closed while the session still needed it. */
    LINK,
    /** {@code /meta/handshake} was refused. */
    HANDSHAKE,
    /** {@code /meta/connect} was refused. */
    CONNECT,
    /** {@code /meta/subscribe} was refused. */
    SUBSCRIBE,
    /** A publish was refused. */
    PUBLISH,
    /** A frame from the server was not a JSON message or array of messages. */
    MALFORMED_FRAME,
    /** A session ran out of retries and stopped. */
    SESSION_GAVE_UP
}
