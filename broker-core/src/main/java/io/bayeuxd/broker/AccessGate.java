package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's single point of asking the {@link SecurityPolicy} or the {@link AsyncSecurityPolicy} (one
 * of the two is installed), counting each denial. The asynchronous policy's answers are turned into the
 * same decisions here, once {@link DecisionWait} has them.
 */
final class AccessGate {
    private static final Logger log = LoggerFactory.getLogger(AccessGate.class);
    static final String TIMED_OUT = "Authorization timed out";
    static final String UNAVAILABLE = "Authorization unavailable";
    static final SecurityPolicy.HandshakeDecision HANDSHAKE_TIMED_OUT =
            SecurityPolicy.HandshakeDecision.deny(BayeuxError.format(403, TIMED_OUT));
    static final SecurityPolicy.HandshakeDecision HANDSHAKE_UNAVAILABLE =
            SecurityPolicy.HandshakeDecision.deny(BayeuxError.format(403, UNAVAILABLE));

    private volatile SecurityPolicy policy = SecurityPolicy.ALLOW_ALL;
    /** The asynchronous policy, or {@code null}: the one volatile read the synchronous path pays. */
    private volatile AsyncSecurityPolicy async;
    private final LongAdder denied = new LongAdder();
    private final LongAdder undecided = new LongAdder();

    void policy(SecurityPolicy policy) {
        this.async = null;
        this.policy = policy == null ? SecurityPolicy.ALLOW_ALL : policy;
    }

    void policy(AsyncSecurityPolicy policy) {
        this.policy = SecurityPolicy.ALLOW_ALL;
        this.async = policy;
    }

    AsyncSecurityPolicy async() {
        return async;
    }

    SecurityPolicy.HandshakeDecision handshake(Message message, ExtensionContext context) {
        return counted(policy.canHandshake(message, context));
    }

    /** The error to answer a subscribe to {@code channel} with, or {@code null} when it is allowed. */
    String subscribe(ServerSession session, String channel, Message message, ExtensionContext context) {
        return session.isLocal() || policy.canSubscribe(session, channel, message, context) ? null : denial(channel);
    }

    /** The error to answer a publish to {@code channel} with, or {@code null} when it is allowed. */
    String publish(ServerSession session, String channel, Message message, ExtensionContext context) {
        return (session != null && session.isLocal()) || policy.canPublish(session, channel, message, context) ? null : denial(channel);
    }

    /** The asynchronous policy's handshake answer as a decision; denials, timeouts and failures counted. */
    SecurityPolicy.HandshakeDecision handshake(DecisionWait wait) {
        if (wait.timedOut()) {
            return undecided(HANDSHAKE_TIMED_OUT, null);
        }
        if (wait.answer() instanceof SecurityPolicy.HandshakeDecision d) {
            return counted(d);
        }
        return undecided(HANDSHAKE_UNAVAILABLE, wait.failure());
    }

    /** The asynchronous policy's subscribe or publish answer as an error, or {@code null} when allowed. */
    String channel(String channel, DecisionWait wait) {
        return channel(channel, wait.timedOut(), wait.answer(), wait.failure());
    }

    String channel(String channel, boolean timedOut, Object answer, Throwable failure) {
        if (timedOut) {
            return undecided(BayeuxError.format(403, TIMED_OUT, channel), null);
        }
        if (answer instanceof AsyncSecurityPolicy.Decision d) {
            if (d.allowed()) {
                return null;
            }
            denied.increment();
            return d.error() == null ? BayeuxError.channelForbidden(channel) : d.error();
        }
        return undecided(BayeuxError.format(403, UNAVAILABLE, channel), failure);
    }

    private SecurityPolicy.HandshakeDecision counted(SecurityPolicy.HandshakeDecision d) {
        if (d == null || !d.allowed()) {
            denied.increment();
            return d == null || d.error() == null ? SecurityPolicy.HandshakeDecision.DENY : d;
        }
        return d;
    }

    private <T> T undecided(T answer, Throwable failure) {
        denied.increment();
        undecided.increment();
        if (failure != null) {
            log.debug("The security policy failed: {}", failure.toString());
        }
        return answer;
    }

    private String denial(String channel) {
        denied.increment();
        return BayeuxError.channelForbidden(channel);
    }

    long denied() {
        return denied.sum();
    }

    /** Asynchronous decisions that timed out or failed (counted among the denials too). */
    long undecided() {
        return undecided.sum();
    }
}
