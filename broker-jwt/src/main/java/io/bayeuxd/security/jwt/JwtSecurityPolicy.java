package io.bayeuxd.security.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Admits a handshake only with a valid JWT in {@code ext.token}, and lets its claims decide what the
 * session may do:
 * <ul>
 *   <li>{@code sub}, required: the user, kept as the session's principal ({@link JwtPrincipal});</li>
 *   <li>{@code exp}, required: a token past it (by more than the allowed clock skew, {@value #MAX_CLOCK_SKEW_SECONDS} s
 *       unless told otherwise) is refused, and a session whose token passes it afterwards is ended
 *       ({@link JwtPrincipal#validUntil()}), so the client handshakes again with a fresh one;</li>
 *   <li>{@code channels}, optional: the channel patterns the session may subscribe to;</li>
 *   <li>{@code publish}, optional: the channel patterns it may publish on.</li>
 * </ul>
 * An absent {@code channels} or {@code publish} claim leaves that operation unrestricted. A handshake
 * without a valid token is answered {@code 401::Invalid token} with {@code advice.reconnect: "none"}.
 *
 * <p>A subscribe may carry a subscription token in its own {@code ext.token}: a JWT whose {@code channel}
 * claim names the channel and whose {@code sub} is the session's user lets the session subscribe to that
 * channel whatever its connection token says. A token that fails verification, or names another user,
 * denies the subscribe; a valid one without a {@code channel} claim (a client that sends its connection
 * token with every message) changes nothing. A publish without a handshake, which Faye allows, is
 * judged by the connection token in its own {@code ext.token}.
 *
 * <p>Verification is CPU work only (no I/O), so it runs on the request's event loop like any policy.
 */
public final class JwtSecurityPolicy implements SecurityPolicy {
    private static final Logger log = LoggerFactory.getLogger(JwtSecurityPolicy.class);

    public static final int MAX_CLOCK_SKEW_SECONDS = 30;
    /** What a handshake without a valid token is answered: 401, the code Faye uses for who the server does not know. */
    public static final String INVALID_TOKEN = BayeuxError.format(401, "Invalid token");
    /** Longer tokens are refused unparsed. */
    static final int MAX_TOKEN_CHARS = 8192;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private final Duration clockSkew;
    private final Clock clock;

    public JwtSecurityPolicy(JwtKeys keys) {
        this(keys, Clock.systemUTC(), Duration.ofSeconds(MAX_CLOCK_SKEW_SECONDS));
    }

    /** With the clock that {@code exp} is checked against; for tests. */
    public JwtSecurityPolicy(JwtKeys keys, Clock clock) {
        this(keys, clock, Duration.ofSeconds(MAX_CLOCK_SKEW_SECONDS));
    }

    /**
     * With the clock that {@code exp} is checked against and the skew allowed between the token issuer's
     * clock and ours (whole seconds).
     */
    public JwtSecurityPolicy(JwtKeys keys, Clock clock, Duration clockSkew) {
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative: " + clockSkew);
        }
        this.clockSkew = clockSkew;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(keys.algorithms(), keys.source()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    @Override
    public HandshakeDecision canHandshake(BayeuxMessage handshake, ExtensionContext context) {
        JWTClaimsSet claims = verify(token(handshake.ext()));
        JwtPrincipal principal = claims == null ? null : principal(claims);
        return principal == null ? HandshakeDecision.deny(INVALID_TOKEN) : HandshakeDecision.allow(principal);
    }

    @Override
    public boolean canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        JwtPrincipal owner = session.principal() instanceof JwtPrincipal p ? p : null;
        if (owner == null || expired(owner)) {
            return false;
        }
        String token = token(message.ext());
        if (token != null) {
            JWTClaimsSet claims = verify(token);
            if (claims == null || !owner.user().equals(claims.getSubject())) {
                return false;
            }
            if (channel.equals(claims.getClaim("channel"))) {
                return true;
            }
        }
        return owner.maySubscribe(channel);
    }

    @Override
    public boolean canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        JwtPrincipal who = session != null && session.principal() instanceof JwtPrincipal p ? p : null;
        if (session == null) {
            JWTClaimsSet claims = verify(token(message.ext()));
            who = claims == null ? null : principal(claims);
        }
        return who != null && !expired(who) && who.mayPublish(channel);
    }

    /** Whether a session's token has expired since its handshake; the broker's sweep ends such sessions soon. */
    private boolean expired(JwtPrincipal principal) {
        return clock.instant().isAfter(principal.validUntil());
    }

    /** The verified claims of a token, or {@code null} when it is absent, malformed, badly signed or expired. */
    private JWTClaimsSet verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        try {
            return processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // The reason helps whoever mints the tokens; the token itself is a credential and is not logged.
            log.debug("JWT refused: {}", e.getMessage());
            return null;
        }
    }

    /** The principal of verified claims, or {@code null} when a claim has the wrong shape. */
    private JwtPrincipal principal(JWTClaimsSet claims) {
        try {
            List<String> channels = patterns(claims, "channels");
            List<String> publish = patterns(claims, "publish");
            String user = claims.getSubject();
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("claim sub is empty");
            }
            Instant exp = claims.getExpirationTime().toInstant();
            return new JwtPrincipal(user, exp, exp.plusSeconds(clockSkew.toSeconds()), channels, publish);
        } catch (ParseException | IllegalArgumentException e) {
            log.debug("JWT refused: {}", e.getMessage());
            return null;
        }
    }

    private static List<String> patterns(JWTClaimsSet claims, String name) throws ParseException {
        List<String> list = claims.getStringListClaim(name);
        if (list != null) {
            for (String pattern : list) {
                if (!ChannelName.isValid(pattern)) {
                    throw new IllegalArgumentException("claim " + name + " holds " + pattern + ", not a channel pattern");
                }
            }
        }
        return list;
    }

    private static String token(JsonValue ext) {
        if (ext == null || !ext.isObject()) {
            return null;
        }
        JsonNode t = ext.tree().get("token");
        return t != null && t.isTextual() ? t.asText() : null;
    }
}
