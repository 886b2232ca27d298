package io.bayeuxd.ops.api;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.engine.Engine;
import io.netty.util.concurrent.EventExecutorGroup;

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

    /**
     * How long a call waits for the other nodes of a cluster: they answer from memory within a round
     * trip through Redis, so a node that has not answered by then is taken for stuck or gone, and the
     * answer says it is partial.
     */
    public static final long CLUSTER_ANSWER_TIMEOUT_MS = 2_000;

    private HttpApi() {
    }

    /**
     * The handler of every {@code /api} path. With a cluster bus ({@link ClusterBus#nodeToken()} not
     * {@code null}) every answer covers the whole cluster: a call about one client is answered by its
     * node, the others by every node, merged; and this node answers the other nodes' questions.
     *
     * @param key         the key every call must carry
     * @param publisher   how a publication enters the broker (an in-process client's {@code publish})
     * @param broker      this node's broker: its limits on channel names, its sessions and subscriptions
     * @param node        this node's identity, for {@code /api/info}
     * @param connections the open connections of the traffic port, for {@code /api/info}
     * @param loops       where other nodes' questions are answered
     */
    public static ApiHttpHandler handler(ApiKey key, PublishEndpoint.Publisher publisher, Broker broker,
                                         InfoEndpoint.Node node, IntSupplier connections, EventExecutorGroup loops) {
        Engine engine = broker.engine();
        Map<String, ApiEndpoint> local = Map.of(
                CHANNELS, new ChannelsEndpoint(engine),
                INFO, new InfoEndpoint(node, engine, connections),
                DISCONNECT, new DisconnectEndpoint(broker),
                UNSUBSCRIBE, new UnsubscribeEndpoint(broker),
                PRESENCE, new PresenceEndpoint(broker));
        PublishEndpoint publish = new PublishEndpoint(publisher, broker.config());
        ClusterBus bus = engine.bus();
        if (bus.nodeToken() == null) {
            return new ApiHttpHandler(key, with(local, publish));
        }
        NodeQueries nodes = new NodeQueries(bus, loops, CLUSTER_ANSWER_TIMEOUT_MS);
        nodes.serve(local);
        Map<String, ApiEndpoint> cluster = Map.of(
                CHANNELS, new ClusterWideEndpoint(CHANNELS, local.get(CHANNELS), nodes, ChannelsEndpoint::merge),
                INFO, new ClusterWideEndpoint(INFO, local.get(INFO), nodes, InfoEndpoint::merge),
                PRESENCE, new ClusterWideEndpoint(PRESENCE, local.get(PRESENCE), nodes, PresenceEndpoint::merge),
                DISCONNECT, new ClientRoutedEndpoint(DISCONNECT, local.get(DISCONNECT),
                        new ClusterWideEndpoint(DISCONNECT, local.get(DISCONNECT), nodes, DisconnectEndpoint::mergeUser), nodes),
                UNSUBSCRIBE, new ClientRoutedEndpoint(UNSUBSCRIBE, local.get(UNSUBSCRIBE), local.get(UNSUBSCRIBE), nodes));
        return new ApiHttpHandler(key, with(cluster, publish));
    }

    private static Map<String, ApiEndpoint> with(Map<String, ApiEndpoint> endpoints, PublishEndpoint publish) {
        Map<String, ApiEndpoint> all = new java.util.HashMap<>(endpoints);
        all.put(PUBLISH, publish);
        return all;
    }
}
