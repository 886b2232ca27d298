package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * In a cluster, a {@code /meta/subscribe} is handled only once the cluster bus listens on each of its
 * channels ({@link ClusterBus#listening}), so that a publication another node makes once the client has
 * the reply reaches it. The bus is told to listen <em>before</em> the session subscribes ({@link #ahead}),
 * and the subscription and its reply are then made together, as on a single node: nothing is delivered
 * to the client on a channel before its subscribe reply (Faye's client drops what comes earlier), what
 * a stored channel replays included.
 *
 * <p>A node alone waits for nothing and pays one field read; so does a subscribe to channels the bus
 * listens on already, and one of the server's in-process clients, whose calls return their replies at once.
 */
final class ListeningWait {
    /**
     * How long a subscribe waits at most: Redis answers a SUBSCRIBE within a round trip, so this is reached
     * only when Redis is lost meanwhile; the subscribe is then handled as it is while Redis is down.
     */
    static final long TIMEOUT_MS = 2_000;

    private final Engine engine;
    private final Limits limits;
    /** Whether there are other nodes at all: decided once. */
    private final boolean clustered;

    ListeningWait(Engine engine, Limits limits) {
        this.engine = engine;
        this.limits = limits;
        this.clustered = engine.bus().nodeToken() != null;
    }

    /**
     * Has the bus listen on the channels {@code request} subscribes to (up to the first one its handler
     * would refuse as malformed or over the session's limit), holding them until {@link #release}; {@code null} when there is nothing
     * to hold. A channel its security policy then denies is listened on and let go again.
     */
    Hold ahead(Message request) {
        if (!clustered || !MetaChannels.SUBSCRIBE.equals(request.channel()) || request.error() != null
                || request.subscription() == null) {
            return null;
        }
        Session session = engine.session(request.clientId());
        if (session == null || session.isLocal()) {
            return null;
        }
        ClusterBus bus = engine.bus();
        List<String> held = new ArrayList<>();
        listen(session, request, held);
        if (held.isEmpty()) {
            return null;
        }
        List<CompletableFuture<?>> waits = new ArrayList<>();
        for (String channel : held) {
            CompletionStage<?> listening = bus.listening(channel);
            if (listening != null) {
                waits.add(listening.toCompletableFuture());
            }
        }
        CompletionStage<?> confirmed = waits.isEmpty() ? null
                : waits.size() == 1 ? waits.get(0) : CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
        return new Hold(bus, held, confirmed);
    }

    /**
     * Has the bus listen at once on the channels of every subscribe of a request of several messages,
     * holding them until {@link #release}; {@code null} when there is nothing to hold. The request's
     * subscribes still wait in turn ({@link #ahead}), but for SUBSCRIBEs all sent at the start, so a batch
     * of them (Faye's long-polling client re-subscribing after a handshake) waits about one round trip
     * to Redis, not one per channel.
     */
    Hold warm(List<Message> messages) {
        if (!clustered || messages.size() < 2) {
            return null;
        }
        List<String> held = null;
        for (Message request : messages) {
            if (!MetaChannels.SUBSCRIBE.equals(request.channel()) || request.subscription() == null) {
                continue;
            }
            Session session = engine.session(request.clientId());
            if (session != null && !session.isLocal()) {
                if (held == null) {
                    held = new ArrayList<>();
                }
                listen(session, request, held);
            }
        }
        return held == null || held.isEmpty() ? null : new Hold(engine.bus(), held, null);
    }

    /** Has the bus listen on the request's channels up to the first one its handler refuses anyway; adds them to {@code held}. */
    private void listen(Session session, Message request, List<String> held) {
        ClusterBus bus = engine.bus();
        for (String channel : request.subscription()) {
            // Stopping there, a refused subscribe costs Redis nothing.
            if (!ChannelName.isValid(channel) || !ChannelName.isSubscribable(channel) || !limits.channelFits(channel)
                    || !limits.hasRoomFor(session, channel)) {
                break;
            }
            bus.subscribed(channel);
            held.add(channel);
        }
    }

    /** Lets go of {@code hold}, if there is one, once its subscribe is handled. */
    static void release(Hold hold) {
        if (hold != null) {
            hold.release();
        }
    }

    /** The channels a subscribe had the bus listen on ahead of it. */
    static final class Hold {
        private final ClusterBus bus;
        private final List<String> channels;
        /** Completes once the bus listens on all of them; {@code null} when it did already. */
        final CompletionStage<?> confirmed;

        private Hold(ClusterBus bus, List<String> channels, CompletionStage<?> confirmed) {
            this.bus = bus;
            this.channels = channels;
            this.confirmed = confirmed;
        }

        /** The session's own subscriptions, made meanwhile, now keep the bus listening. */
        private void release() {
            for (String channel : channels) {
                bus.unsubscribed(channel);
            }
        }
    }
}
