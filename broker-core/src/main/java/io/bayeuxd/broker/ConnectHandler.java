package io.bayeuxd.broker;

import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.AckExt;
import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.ConnectionTypes;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /meta/connect}: keeps the session alive and decides how long the transport may hold the reply:
 * the configured timeout, less if the client's {@code advice.timeout} asks, and not at all when the
 * connect shares its request with other messages. For a session with acknowledged delivery it also
 * passes on the batch the client says it received ({@code ext.ack}) before the reply takes the next one.
 */
final class ConnectHandler {
    private final Engine engine;
    private final BrokerConfig config;
    private final LongAdder succeeded = new LongAdder();
    private final ServerEvents events;

    ConnectHandler(Engine engine, BrokerConfig config, ServerEvents events) {
        this.events = events;
        this.engine = engine;
        this.config = config;
    }

    Message handle(Message request, BatchResult result, boolean batched, long nowNanos) {
        Message reply = Replies.to(request);
        String clientId = request.clientId();
        String type = request.connectionType();
        Session session = engine.session(clientId);
        // Faye checks in this order; the last failing check is the error reported.
        if (session == null) {
            Replies.fail(reply, BayeuxError.clientUnknown(clientId));
        }
        if (clientId == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("clientId"));
        }
        if (type == null || !config.connectionTypes().contains(type)) {
            Replies.fail(reply, BayeuxError.conntypeMismatch(type));
        }
        if (type == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("connectionType"));
        }
        if (reply.error() != null) {
            return reply.clientId(null);
        }
        session.touch(nowNanos);
        String previousType = session.connectionType();
        session.connectionType(type);
        if (!type.equals(previousType)) {
            events.connect(session, type, previousType, request);
        }
        if (session.acknowledgesBatches()) {
            session.acknowledge(AckExt.acknowledgedBatch(request.ext()));
        }
        long holdMs = batched ? 0 : config.timeoutMs();
        if (request.advice() != null && request.advice().timeoutMs() != null) {
            holdMs = Math.max(0, Math.min(holdMs, request.advice().timeoutMs()));
        }
        if (ConnectionTypes.EVENTSOURCE.equals(type)) {
            // Messages go down the event stream; the connect only keeps the session alive. As Faye:
            // answered at once, and the next one after the timeout.
            holdMs = 0;
            reply.advice(Advice.retry(config.timeoutMs(), 0));
        }
        result.connect(session, reply, holdMs);
        succeeded.increment();
        return reply;
    }

    /** Successful connects so far. */
    long succeeded() {
        return succeeded.sum();
    }
}
