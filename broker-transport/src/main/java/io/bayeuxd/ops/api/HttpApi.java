package io.bayeuxd.ops.api;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.Engine;

import java.util.Map;
import java.util.function.IntSupplier;

/** The API's paths and what answers each: what the server wires into the management port. */
public final class HttpApi {
    public static final String PUBLISH = "/api/publish";
    public static final String CHANNELS = "/api/channels";
    public static final String INFO = "/api/info";
    public static final String DISCONNECT = "/api/disconnect";

    private HttpApi() {
    }

    /**
     * The handler of every {@code /api} path.
     *
     * @param key         the key every call must carry
     * @param publisher   how a publication enters the broker (an in-process client's {@code publish})
     * @param limits      the broker's limits on channel names
     * @param engine      this node's sessions and subscriptions
     * @param node        this node's identity, for {@code /api/info}
     * @param connections the open connections of the traffic port, for {@code /api/info}
     */
    public static ApiHttpHandler handler(ApiKey key, PublishEndpoint.Publisher publisher, BrokerConfig limits, Engine engine,
                                         InfoEndpoint.Node node, IntSupplier connections) {
        return new ApiHttpHandler(key, Map.of(
                PUBLISH, new PublishEndpoint(publisher, limits),
                CHANNELS, new ChannelsEndpoint(engine),
                INFO, new InfoEndpoint(node, engine, connections),
                DISCONNECT, new DisconnectEndpoint(engine)));
    }
}
