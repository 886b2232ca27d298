package io.bayeuxd.broker;

import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** {@code /meta/handshake}: checks version and connection types, then creates the session. */
final class HandshakeHandler {
    static final String BAYEUX_VERSION = "1.0";

    private final Engine engine;
    private final LongAdder succeeded = new LongAdder();

    HandshakeHandler(Engine engine) {
        this.engine = engine;
    }

    Message handle(Message request, long nowNanos) {
        Message reply = Replies.to(request).version(BAYEUX_VERSION)
                .supportedConnectionTypes(BrokerConfig.CONNECTION_TYPES);
        if (request.version() == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("version"));
        }
        List<String> offered = request.supportedConnectionTypes();
        if (offered == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("supportedConnectionTypes"));
        } else if (offered.stream().noneMatch(BrokerConfig.CONNECTION_TYPES::contains)) {
            Replies.fail(reply, BayeuxError.conntypeMismatch(String.join(",", offered)));
        }
        if (reply.error() != null) {
            return reply;
        }
        succeeded.increment();
        return reply.clientId(engine.createSession(false, nowNanos).clientId()).successful(true);
    }

    /** Successful handshakes so far. */
    long succeeded() {
        return succeeded.sum();
    }
}
