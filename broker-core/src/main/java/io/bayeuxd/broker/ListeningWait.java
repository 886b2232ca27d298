package io.bayeuxd.broker;

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
 * What a successful {@code /meta/subscribe} reply waits for in a cluster: the cluster bus listening on
 * each of its channels ({@link ClusterBus#listening}), so that a publication another node makes once the
 * client has the reply reaches it. A node alone, or one that listens there already, waits for nothing;
 * so do the server's in-process clients, whose calls return their replies at once.
 */
final class ListeningWait {
    /**
     * How long a reply waits at most: Redis answers a SUBSCRIBE within a round trip, so this is reached
     * only when Redis is lost meanwhile; the reply then goes as it would while Redis is down.
     */
    static final long TIMEOUT_MS = 2_000;

    private final Engine engine;
    /** Whether there are other nodes at all: decided once, so that a node alone pays one field read. */
    private final boolean clustered;

    ListeningWait(Engine engine) {
        this.engine = engine;
        this.clustered = engine.bus().nodeToken() != null;
    }

    /** What {@code reply} to {@code request} must wait for, or {@code null} when nothing. */
    CompletionStage<?> of(Message request, Message reply) {
        if (!clustered || !MetaChannels.SUBSCRIBE.equals(reply.channel()) || !Boolean.TRUE.equals(reply.successful())
                || request.subscription() == null) {
            return null;
        }
        Session session = engine.session(request.clientId());
        if (session == null || session.isLocal()) {
            return null;
        }
        ClusterBus bus = engine.bus();
        CompletionStage<?> one = null;
        List<CompletableFuture<?>> several = null;
        for (String channel : request.subscription()) {
            CompletionStage<?> listening = bus.listening(channel);
            if (listening == null) {
                continue;
            }
            if (one == null) {
                one = listening;
            } else {
                if (several == null) {
                    several = new ArrayList<>();
                    several.add(one.toCompletableFuture());
                }
                several.add(listening.toCompletableFuture());
            }
        }
        return several == null ? one : CompletableFuture.allOf(several.toArray(CompletableFuture[]::new));
    }
}
