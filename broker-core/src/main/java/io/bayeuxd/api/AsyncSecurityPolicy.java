package io.bayeuxd.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link SecurityPolicy} that may answer later: each decision is a {@link CompletionStage}, for a policy
 * that asks another service (the {@code --auth-webhook} one asks the application's backend). Called on the
 * request's event loop, after the incoming extensions; the call itself must not block, and the stage may
 * complete on any thread. The broker resumes the request on its connection's event loop once the stage
 * completes; meanwhile later requests of the same connection wait, so a client's messages keep their
 * order, and every other connection goes on.
 *
 * <p>Answers, as the client sees them:
 * <ul>
 *   <li>denied: as {@link SecurityPolicy} ({@code 403::Handshake denied} with {@code advice.reconnect: "none"},
 *       {@code 403:<channel>:Forbidden channel}), or the decision's own error;</li>
 *   <li>no answer within {@link #decisionTimeoutMs()}: {@code 403::Authorization timed out} (subscribe and
 *       publish: {@code 403:<channel>:Authorization timed out}); a stage that fails with a
 *       {@link java.util.concurrent.TimeoutException} is answered the same;</li>
 *   <li>a stage that fails otherwise, or completes with {@code null}: {@code 403::Authorization unavailable}
 *       ({@code 403:<channel>:Authorization unavailable}).</li>
 * </ul>
 * A handshake that timed out or found the policy unavailable is advised {@code reconnect: "handshake"}
 * after {@code interval: 1000}, since the same credentials may succeed later. Every such answer is counted
 * as a denial. In-process clients are not asked.
 */
public interface AsyncSecurityPolicy {
    /** How long the broker waits for a decision when the policy says nothing else. */
    long DEFAULT_TIMEOUT_MS = 5_000;

    /** May this handshake create a session? See {@link SecurityPolicy#canHandshake}. */
    default CompletionStage<SecurityPolicy.HandshakeDecision> canHandshake(BayeuxMessage handshake, ExtensionContext context) {
        return CompletableFuture.completedFuture(SecurityPolicy.HandshakeDecision.ALLOW);
    }

    /** May {@code session} subscribe to {@code channel} (a name or a pattern)? */
    default CompletionStage<Decision> canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return CompletableFuture.completedFuture(Decision.ALLOW);
    }

    /** May this message be published to {@code channel}? {@code session} is {@code null} for a publish without handshake. */
    default CompletionStage<Decision> canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return CompletableFuture.completedFuture(Decision.ALLOW);
    }

    /** How long the broker waits for each decision before answering {@code Authorization timed out}. */
    default long decisionTimeoutMs() {
        return DEFAULT_TIMEOUT_MS;
    }

    /**
     * The answer to a subscribe or publish: allowed, or denied with the Bayeux error to answer
     * ({@code null}: {@code 403:<channel>:Forbidden channel}).
     */
    record Decision(boolean allowed, String error) {
        public static final Decision ALLOW = new Decision(true, null);
        public static final Decision DENY = new Decision(false, null);

        /** Denied with {@code error}, a Bayeux error string such as {@code 403:/chat:Not a member}. */
        public static Decision deny(String error) {
            return new Decision(false, error);
        }
    }
}
