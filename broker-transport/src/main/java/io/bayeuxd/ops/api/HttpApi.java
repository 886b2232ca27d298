package io.bayeuxd.ops.api;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.engine.Engine;

import java.util.Map;
import java.util.function.IntSupplier;

/** The API's paths and what answers each: what the server wires into the management port. */
public final class HttpApi {
    public static final String PUBLISH = "/api/publish";
    public static final String CHANNELS = "/api/channels";
    public static final String INFO = "/api/info";
    public static final String DISCONNECT = "/api/disconnect";
    public static final String UNSUBSCRIBE = "/api/unsubscribe";
    public static final String PRESENCE = "/api/presence";

    private HttpApi() {
    }

    /**
     * The handler of every {@code /api} path.
     *
     * @param key         the key every call must carry
     * @param publisher   how a publication enters the broker (an in-process client's {@code publish})
     * @param broker      this node's broker: its limits on channel names, its sessions and subscriptions
     * @param node        this node's identity, for {@code /api/info}
     * @param connections the open connections of the traffic port, for {@code /api/info}
     */
    public static ApiHttpHandler handler(ApiKey key, PublishEndpoint.Publisher publisher, Broker broker,
                                         InfoEndpoint.Node node, IntSupplier connections) {
        Engine engine = broker.engine();
        return new ApiHttpHandler(key, Map.of(
                PUBLISH, new PublishEndpoint(publisher, broker.config()),
                CHANNELS, new ChannelsEndpoint(engine),
                INFO, new InfoEndpoint(node, engine, connections),
                DISCONNECT, new DisconnectEndpoint(broker),
                UNSUBSCRIBE, new UnsubscribeEndpoint(broker),
                PRESENCE, new PresenceEndpoint(broker)));
    }
}
