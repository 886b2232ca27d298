package io.bayeuxd.security.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Admits a handshake only with a valid JWT in {@code ext.token}, and lets its claims decide what the
 * session may do:
 * <ul>
 *   <li>{@code sub}, required: the user, kept as the session's principal ({@link JwtPrincipal});</li>
 *   <li>{@code exp}, required: a token past it (by more than {@value #MAX_CLOCK_SKEW_SECONDS} s) is refused;</li>
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

    public JwtSecurityPolicy(JwtKeys keys) {
        this(keys, Clock.systemUTC());
    }

    /** With the clock that {@code exp} is checked against; for tests. */
    public JwtSecurityPolicy(JwtKeys keys, Clock clock) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(keys.algorithms(), keys.source()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    @Override
    public HandshakeDecision canHandshake(Message handshake, ExtensionContext context) {
        JWTClaimsSet claims = verify(token(handshake.ext()));
        JwtPrincipal principal = claims == null ? null : principal(claims);
        return principal == null ? HandshakeDecision.deny(INVALID_TOKEN) : HandshakeDecision.allow(principal);
    }

    @Override
    public boolean canSubscribe(ServerSession session, String channel, Message message, ExtensionContext context) {
        JwtPrincipal owner = session.principal() instanceof JwtPrincipal p ? p : null;
        if (owner == null) {
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
    public boolean canPublish(ServerSession session, String channel, Message message, ExtensionContext context) {
        JwtPrincipal who = session != null && session.principal() instanceof JwtPrincipal p ? p : null;
        if (session == null) {
            JWTClaimsSet claims = verify(token(message.ext()));
            who = claims == null ? null : principal(claims);
        }
        return who != null && who.mayPublish(channel);
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
    private static JwtPrincipal principal(JWTClaimsSet claims) {
        try {
            List<String> channels = patterns(claims, "channels");
            List<String> publish = patterns(claims, "publish");
            String user = claims.getSubject();
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("claim sub is empty");
            }
            return new JwtPrincipal(user, claims.getExpirationTime().toInstant(), channels, publish);
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
