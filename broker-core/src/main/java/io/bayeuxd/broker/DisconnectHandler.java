package io.bayeuxd.broker;

import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;

import java.util.concurrent.atomic.LongAdder;

/** {@code /meta/disconnect}: ends the session, its subscriptions and any held connect. */
final class DisconnectHandler {
    private final Engine engine;
    private final LongAdder succeeded = new LongAdder();
    private final ServerEvents events;

    DisconnectHandler(Engine engine, ServerEvents events) {
        this.engine = engine;
        this.events = events;
    }

    Message handle(Message request) {
        Message reply = Replies.to(request);
        String clientId = request.clientId();
        Session session = engine.session(clientId);
        if (session == null) {
            Replies.fail(reply, BayeuxError.clientUnknown(clientId));
        }
        if (clientId == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("clientId"));
        }
        if (reply.error() != null) {
            return reply.clientId(null);
        }
        session.markDisconnectedByClient();
        if (engine.destroySession(session)) {
            events.ended(session, DisconnectReason.CLIENT);
        }
        succeeded.increment();
        return reply;
    }

    /** Successful disconnects so far. */
    long succeeded() {
        return succeeded.sum();
    }
}
