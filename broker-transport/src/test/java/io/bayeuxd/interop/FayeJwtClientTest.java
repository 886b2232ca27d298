package io.bayeuxd.interop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The real Faye Node client against a broker that requires JWTs ({@code interop/faye/jwt}): with a valid
 * token in its handshake's {@code ext} it connects, subscribes and publishes within its claims; a token
 * with a bad signature, or none, gets {@code 401}. Skipped like {@link FayeNodeClientTest} without Node.
 */
class FayeJwtClientTest {
    private static final Path SUITE = NodeTestRun.FAYE_SUITE;
    private static final String SECRET = "the-broker-jwt-secret-of-32-bytes-or-more";
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        NodeTestRun.assumeFayeSuite("Faye client interop tests");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .securityPolicy(new JwtSecurityPolicy(JwtKeys.secret(SECRET)))
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
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
        Map<String, String> env = Map.of(
                "BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "BAYEUX_TRANSPORT", transport,
                "BAYEUX_JWT_VALID", token(SECRET),
                "BAYEUX_JWT_BAD", token("another-secret-that-is-32-bytes-long"));
        NodeTestRun.assertPasses(SUITE, "jwt/", env, Duration.ofMinutes(2), "Faye client with JWT over " + transport);
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
