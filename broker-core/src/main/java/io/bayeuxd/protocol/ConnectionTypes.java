package io.bayeuxd.protocol;

import java.util.List;

/** The Bayeux connection types this broker serves, named once for the codec, the broker and the transports. */
public final class ConnectionTypes {
    public static final String LONG_POLLING = "long-polling";
    public static final String CROSS_ORIGIN_LONG_POLLING = "cross-origin-long-polling";
    /** JSONP: {@code GET ?message=&jsonp=}; offered only while JSONP is switched on. */
    public static final String CALLBACK_POLLING = "callback-polling";
    public static final String WEBSOCKET = "websocket";
    /**
     * Faye's server-sent events transport: messages come down a {@code text/event-stream}; the client's
     * own messages, its connects too, go up as long-polling requests, answered at once.
     */
    public static final String EVENTSOURCE = "eventsource";

    /** Every type this broker can serve, in the order Faye lists them. */
    public static final List<String> ALL = List.of(LONG_POLLING, CROSS_ORIGIN_LONG_POLLING, CALLBACK_POLLING, WEBSOCKET,
            EVENTSOURCE);

    private ConnectionTypes() {
    }
}
