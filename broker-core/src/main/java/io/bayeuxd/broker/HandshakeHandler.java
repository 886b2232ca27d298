package io.bayeuxd.broker;

import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.AckExt;
import io.bayeuxd.protocol.Advice;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;

import io.bayeuxd.session.Session;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /meta/handshake}: checks version and connection types, then creates the session, with
 * acknowledged delivery when the client asks for it as CometD's {@code AckExtension} does
 * ({@code ext: {ack: true}}, confirmed in the reply).
 */
final class HandshakeHandler {
    static final String BAYEUX_VERSION = "1.0";

    static final String DENIED = BayeuxError.format(403, "Handshake denied");

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    /** Messages sent again to sessions with acknowledged delivery; every such session adds to it. */
    private final LongAdder resent = new LongAdder();
    private final Engine engine;
    private final AccessGate gate;
    private final Limits limits;
    private final List<String> connectionTypes;
    private final ServerEvents events;

    HandshakeHandler(Engine engine, AccessGate gate, Limits limits, List<String> connectionTypes, ServerEvents events) {
        this.events = events;
        this.connectionTypes = connectionTypes;
        this.engine = engine;
        this.gate = gate;
        this.limits = limits;
    }

    Message handle(Message request, RequestContext context, long nowNanos) {
        Message reply = admit(request, context, nowNanos);
        return reply.error() != null ? reply : finish(request, reply, gate.handshake(request, context), nowNanos);
    }

    /**
     * The checks made before the policy is asked: version, connection types, the handshake rate. Returns
     * the reply, failed when one of them fails.
     */
    Message admit(Message request, RequestContext context, long nowNanos) {
        Message reply = Replies.to(request).version(BAYEUX_VERSION)
                .supportedConnectionTypes(connectionTypes);
        if (request.version() == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("version"));
        }
        List<String> offered = request.supportedConnectionTypes();
        if (offered == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("supportedConnectionTypes"));
        } else if (!offersAny(offered, connectionTypes)) {
            Replies.fail(reply, BayeuxError.conntypeMismatch(String.join(",", offered)));
        }
        if (reply.error() != null) {
            return reply;
        }
        if (!limits.allowHandshake(context.remoteAddress(), nowNanos)) {
            return Replies.fail(reply, BayeuxError.format(429, Limits.TOO_MANY_HANDSHAKES)).advice(new Advice("handshake", 1000L, null));
        }
        return reply;
    }

    /** Creates the session when {@code decision} allows it, else answers the denial. */
    Message finish(Message request, Message reply, SecurityPolicy.HandshakeDecision decision, long nowNanos) {
        if (decision == AccessGate.HANDSHAKE_TIMED_OUT || decision == AccessGate.HANDSHAKE_UNAVAILABLE) {
            // The policy did not answer: the same credentials may succeed in a moment.
            return Replies.fail(reply, decision.error()).advice(new Advice("handshake", 1000L, null));
        }
        if (!decision.allowed()) {
            // Retrying with the same credentials cannot succeed: tell the client to stop.
            return Replies.fail(reply, decision.error() == null ? DENIED : decision.error()).advice(new Advice("none", null, null));
        }
        Session session = engine.createSession(false, nowNanos);
        session.identify(request.ext(), decision.principal());
        limits.limitPublishes(session);
        if (AckExt.requested(request.ext())) {
            session.acknowledgeBatches(resent);
            reply.ext(AckExt.withEnabled(reply.ext()));
            acknowledged.increment();
        }
        succeeded.increment();
        events.handshake(session);
        return reply.clientId(session.clientId()).successful(true);
    }

    /** Successful handshakes so far. */
    long succeeded() {
        return succeeded.sum();
    }

    /** Successful handshakes that turned on acknowledged delivery. */
    long acknowledged() {
        return acknowledged.sum();
    }

    /** Messages sent again because the batch that carried them was not acknowledged. */
    long resent() {
        return resent.sum();
    }

    /** Whether the client offers one of the types served; a loop, since every handshake asks. */
    private static boolean offersAny(List<String> offered, List<String> served) {
        for (String type : offered) {
            if (served.contains(type)) {
                return true;
            }
        }
        return false;
    }
}
