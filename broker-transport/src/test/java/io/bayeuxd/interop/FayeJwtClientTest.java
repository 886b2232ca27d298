package io.bayeuxd.interop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.security.jwt.JwtKeys;
import io.bayeuxd.security.jwt.JwtSecurityPolicy;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real Faye Node client against a broker that requires JWTs ({@code interop/faye/jwt}): with a valid
 * token in its handshake's {@code ext} it connects, subscribes and publishes within its claims; a token
 * with a bad signature, or none, gets {@code 401}; a session whose token expires is ended and its client
 * handshakes again with a fresh one. Skipped like {@link FayeNodeClientTest} without Node.
 */
class FayeJwtClientTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static final String SECRET = "the-broker-jwt-secret-of-32-bytes-or-more";
    private static BrokerServer server;
    private static final List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye client interop tests");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .securityPolicy(new JwtSecurityPolicy(JwtKeys.secret(SECRET), Clock.systemUTC(), Duration.ofSeconds(1)))
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
        server.addListener(new ServerListener() {
            @Override
            public void onDisconnect(ServerSession session, DisconnectReason reason) {
                reasons.add(reason);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fayeClientHandshakesWithAToken(String transport) throws Exception {
        long expiredBefore = server.broker().credentialsExpiredSessions();
        Map<String, String> env = Map.of(
                "BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "BAYEUX_TRANSPORT", transport,
                "BAYEUX_JWT_VALID", token(SECRET),
                "BAYEUX_JWT_BAD", token("another-secret-that-is-32-bytes-long"),
                "BAYEUX_JWT_SECRET", SECRET);
        NodeTestRun.assertPasses(SUITE, "jwt/", env, Duration.ofMinutes(2), "Faye client with JWT over " + transport);
        // The suite's expiring session was ended for its token, not for silence or by its client.
        assertThat(server.broker().credentialsExpiredSessions()).isGreaterThan(expiredBefore);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(reasons).contains(DisconnectReason.CREDENTIALS_EXPIRED));
    }

    private static String token(String secret) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("channels", List.of("/jwt/**")).claim("publish", List.of("/jwt/**")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
