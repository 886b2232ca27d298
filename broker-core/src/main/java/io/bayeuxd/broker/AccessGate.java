package io.bayeuxd.broker;

import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.Message;

import java.util.concurrent.atomic.LongAdder;

/** The broker's single point of asking the {@link SecurityPolicy}, counting each denial. */
final class AccessGate {
    private volatile SecurityPolicy policy = SecurityPolicy.ALLOW_ALL;
    private final LongAdder denied = new LongAdder();

    void policy(SecurityPolicy policy) {
        this.policy = policy == null ? SecurityPolicy.ALLOW_ALL : policy;
    }

    SecurityPolicy.HandshakeDecision handshake(Message message, ExtensionContext context) {
        SecurityPolicy.HandshakeDecision d = policy.canHandshake(message, context);
        if (d == null || !d.allowed()) {
            denied.increment();
            return d == null || d.error() == null ? SecurityPolicy.HandshakeDecision.DENY : d;
        }
        return d;
    }

    boolean subscribe(ServerSession session, String channel, Message message, ExtensionContext context) {
        return count(session.isLocal() || policy.canSubscribe(session, channel, message, context));
    }

    boolean publish(ServerSession session, String channel, Message message, ExtensionContext context) {
        return count((session != null && session.isLocal()) || policy.canPublish(session, channel, message, context));
    }

    private boolean count(boolean allowed) {
        if (!allowed) {
            denied.increment();
        }
        return allowed;
    }

    long denied() {
        return denied.sum();
    }
}
