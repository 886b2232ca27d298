package io.bayeuxd.security.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy.HandshakeDecision;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWT policy's decisions, with tokens minted here by Nimbus as an application would. */
class JwtSecurityPolicyTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ExtensionContext CONTEXT = new ExtensionContext() {
        public String connectionType() { return "long-polling"; }
        public SocketAddress remoteAddress() { return null; }
        public String header(String name) { return null; }
    };

    private static RSAKey rsa;
    private static ECKey ec;

    private final JwtSecurityPolicy hmacPolicy = new JwtSecurityPolicy(JwtKeys.secret(SECRET), CLOCK);

    @BeforeAll
    static void keys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @Test
    void aValidTokenAdmitsTheHandshakeWithItsSubjectAsPrincipal() throws Exception {
        HandshakeDecision d = hmacPolicy.canHandshake(handshake(hs256(c -> { })), CONTEXT);
        assertThat(d.allowed()).isTrue();
        assertThat(d.principal()).isInstanceOfSatisfying(JwtPrincipal.class, p -> {
            assertThat(p.getName()).isEqualTo("alice");
            assertThat(p.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        });
    }

    @Test
    void noTokenOrAMalformedOneIsRefusedWith401() {
        for (Message m : List.of(handshake(null), handshake("not.a.jwt"), handshake(""),
                new Message().channel("/meta/handshake").ext(JsonValue.parse("{\"token\":42}")))) {
            HandshakeDecision d = hmacPolicy.canHandshake(m, CONTEXT);
            assertThat(d.allowed()).isFalse();
            assertThat(d.error()).isEqualTo("401::Invalid token");
        }
    }

    @Test
    void expiredTokensAreRefusedBeyondThirtySecondsOfClockSkew() throws Exception {
        assertThat(admitted(hmacPolicy, hs256(c -> c.expirationTime(Date.from(NOW.minusSeconds(20)))))).isTrue();
        assertThat(admitted(hmacPolicy, hs256(c -> c.expirationTime(Date.from(NOW.minusSeconds(31)))))).isFalse();
        // exp is required, and so is sub.
        assertThat(admitted(hmacPolicy, hs256(c -> c.expirationTime(null)))).isFalse();
        assertThat(admitted(hmacPolicy, hs256(c -> c.subject(null)))).isFalse();
        // A token not valid yet (nbf) is refused too.
        assertThat(admitted(hmacPolicy, hs256(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120)))))).isFalse();
    }

    @Test
    void aSessionsTokenExpiresWithItsSkewAfterTheHandshake() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock moving = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now.get(); }
        };
        JwtSecurityPolicy policy = new JwtSecurityPolicy(JwtKeys.secret(SECRET), moving, Duration.ofSeconds(5));
        HandshakeDecision d = policy.canHandshake(handshake(hs256(c -> c.expirationTime(Date.from(NOW.plusSeconds(60))))), CONTEXT);
        JwtPrincipal principal = (JwtPrincipal) d.principal();
        // The broker's sweep ends the session past validUntil: exp plus the skew allowed at the handshake.
        assertThat(principal).isInstanceOf(io.bayeuxd.api.ExpiringPrincipal.class);
        assertThat(principal.validUntil()).isEqualTo(NOW.plusSeconds(65));
        ServerSession s = sessionOf(principal);
        assertThat(policy.canSubscribe(s, "/chat/a", plain(), CONTEXT)).isTrue();
        assertThat(policy.canPublish(s, "/chat/a", plain(), CONTEXT)).isTrue();
        now.set(NOW.plusSeconds(65));
        assertThat(policy.canSubscribe(s, "/chat/a", plain(), CONTEXT)).isTrue();
        // Until the sweep comes, an expired session may do nothing.
        now.set(NOW.plusSeconds(66));
        assertThat(policy.canSubscribe(s, "/chat/a", plain(), CONTEXT)).isFalse();
        assertThat(policy.canPublish(s, "/chat/a", plain(), CONTEXT)).isFalse();
        assertThatThrownBy(() -> new JwtSecurityPolicy(JwtKeys.secret(SECRET), moving, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongSignatureIsRefused() throws Exception {
        String other = sign(new MACSigner("another-secret-of-at-least-32-bytes!!"), JWSAlgorithm.HS256, c -> { });
        assertThat(admitted(hmacPolicy, other)).isFalse();
        String token = hs256(c -> { });
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(admitted(hmacPolicy, tampered)).isFalse();
        // A payload changed after signing.
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + b64("{\"sub\":\"root\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}") + "." + parts[2];
        assertThat(admitted(hmacPolicy, forged)).isFalse();
    }

    @Test
    void algorithmNoneIsRefused() {
        String unsecured = new PlainJWT(claims(c -> { })).serialize();
        assertThat(unsecured).endsWith(".");
        assertThat(admitted(hmacPolicy, unsecured)).isFalse();
        // The same with the header spelt by hand, and with a signature part left in.
        String payload = b64(claims(c -> { }).toString());
        assertThat(admitted(hmacPolicy, b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".")).isFalse();
        assertThat(admitted(hmacPolicy, b64("{\"alg\":\"NONE\"}") + "." + payload + ".c2ln")).isFalse();
    }

    @Test
    void publicKeysAcceptOnlyTheirOwnAlgorithmsSoHmacWithThePublicKeyIsRefused() throws Exception {
        JwtSecurityPolicy rsaPolicy = new JwtSecurityPolicy(JwtKeys.publicKeyPem(pem(rsa.toPublicKey())), CLOCK);
        assertThat(admitted(rsaPolicy, sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, c -> { }))).isTrue();
        assertThat(admitted(rsaPolicy, sign(new RSASSASigner(rsa), JWSAlgorithm.PS256, c -> { }))).isTrue();
        // Algorithm confusion: HS256 keyed with the public key, as PEM text and as DER bytes.
        String pem = pem(rsa.toPublicKey());
        assertThat(admitted(rsaPolicy, sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)), JWSAlgorithm.HS256, c -> { }))).isFalse();
        assertThat(admitted(rsaPolicy, sign(new MACSigner(rsa.toPublicKey().getEncoded()), JWSAlgorithm.HS256, c -> { }))).isFalse();
        // A token signed by an EC key is not accepted by an RSA policy, nor an RSA one by the secret's.
        assertThat(admitted(rsaPolicy, sign(new ECDSASigner(ec), JWSAlgorithm.ES256, c -> { }))).isFalse();
        assertThat(admitted(hmacPolicy, sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, c -> { }))).isFalse();

        JwtSecurityPolicy ecPolicy = new JwtSecurityPolicy(JwtKeys.publicKeyPem(pem(ec.toPublicKey())), CLOCK);
        assertThat(admitted(ecPolicy, sign(new ECDSASigner(ec), JWSAlgorithm.ES256, c -> { }))).isTrue();
        assertThat(admitted(ecPolicy, sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, c -> { }))).isFalse();
    }

    @Test
    void aJwksFileServesItsPublicKeysAndIgnoresSecretOnes() throws Exception {
        OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).keyID("oct-1").generate();
        String json = new JWKSet(List.of(rsa, ec, oct)).toString(false);
        JwtSecurityPolicy jwks = new JwtSecurityPolicy(JwtKeys.jwks(json), CLOCK);
        assertThat(admitted(jwks, sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", c -> { }))).isTrue();
        assertThat(admitted(jwks, sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", c -> { }))).isTrue();
        assertThat(admitted(jwks, sign(new MACSigner(oct), JWSAlgorithm.HS256, "oct-1", c -> { }))).isFalse();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        assertThat(admitted(jwks, sign(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1", c -> { }))).isFalse();
    }

    @Test
    void badKeysAreRefusedWithAReason() throws Exception {
        assertThatThrownBy(() -> JwtKeys.secret("too-short")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> JwtKeys.publicKeyPem("garbage")).hasMessageContaining("PUBLIC KEY");
        RSAKey small = new RSAKeyGenerator(1024, true).generate();
        assertThatThrownBy(() -> JwtKeys.publicKeyPem(pem(small.toPublicKey()))).hasMessageContaining("2048");
        String onlySecret = new JWKSet(new OctetSequenceKeyGenerator(256).generate()).toString(false);
        assertThatThrownBy(() -> JwtKeys.jwks(onlySecret)).hasMessageContaining("no RSA or EC public key");
        assertThatThrownBy(() -> JwtKeys.jwks("{")).hasMessageContaining("not a JWKS");
    }

    @Test
    void channelsAndPublishClaimsLimitTheSession() throws Exception {
        ServerSession s = session(hs256(c -> c.claim("channels", List.of("/chat/*", "/users/alice"))
                .claim("publish", List.of("/chat/**"))));
        assertThat(hmacPolicy.canSubscribe(s, "/chat/room", plain(), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canSubscribe(s, "/chat/*", plain(), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canSubscribe(s, "/chat/**", plain(), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canSubscribe(s, "/users/alice", plain(), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canSubscribe(s, "/users/bob", plain(), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canPublish(s, "/chat/room/a", plain(), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canPublish(s, "/users/alice", plain(), CONTEXT)).isFalse();

        // Without the claims, nothing is restricted; an empty list allows nothing.
        ServerSession open = session(hs256(c -> { }));
        assertThat(hmacPolicy.canSubscribe(open, "/anything/**", plain(), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canPublish(open, "/anything", plain(), CONTEXT)).isTrue();
        ServerSession closed = session(hs256(c -> c.claim("channels", List.of()).claim("publish", List.of())));
        assertThat(hmacPolicy.canSubscribe(closed, "/a", plain(), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canPublish(closed, "/a", plain(), CONTEXT)).isFalse();

        // A claim of the wrong shape, or holding something that is no channel pattern, refuses the token.
        assertThat(admitted(hmacPolicy, hs256(c -> c.claim("channels", "/chat/*")))).isFalse();
        assertThat(admitted(hmacPolicy, hs256(c -> c.claim("publish", List.of("chat"))))).isFalse();
    }

    @Test
    void aSubscriptionTokenAddsItsChannelForItsOwnUserOnly() throws Exception {
        ServerSession s = session(hs256(c -> c.claim("channels", List.of("/chat/*"))));
        String forPrivate = hs256(c -> c.claim("channel", "/private/alice"));
        assertThat(hmacPolicy.canSubscribe(s, "/private/alice", plain(), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canSubscribe(s, "/private/alice", withToken(forPrivate), CONTEXT)).isTrue();
        // It names one channel, not another; the connection claims still count beside it.
        assertThat(hmacPolicy.canSubscribe(s, "/private/bob", withToken(forPrivate), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canSubscribe(s, "/chat/room", withToken(forPrivate), CONTEXT)).isTrue();
        // Another user's subscription token, an expired one, or a forged one denies.
        String bobs = hs256(c -> c.subject("bob").claim("channel", "/private/alice"));
        assertThat(hmacPolicy.canSubscribe(s, "/private/alice", withToken(bobs), CONTEXT)).isFalse();
        String expired = hs256(c -> c.claim("channel", "/private/alice").expirationTime(Date.from(NOW.minusSeconds(60))));
        assertThat(hmacPolicy.canSubscribe(s, "/private/alice", withToken(expired), CONTEXT)).isFalse();
        String forged = sign(new MACSigner("another-secret-of-at-least-32-bytes!!"), JWSAlgorithm.HS256,
                c -> c.claim("channel", "/private/alice"));
        assertThat(hmacPolicy.canSubscribe(s, "/private/alice", withToken(forged), CONTEXT)).isFalse();
        assertThat(hmacPolicy.canSubscribe(s, "/chat/room", withToken("garbage"), CONTEXT)).isFalse();
    }

    @Test
    void aPublishWithoutHandshakeIsJudgedByItsOwnToken() throws Exception {
        assertThat(hmacPolicy.canPublish(null, "/chat/room", plain(), CONTEXT)).isFalse();
        String token = hs256(c -> c.claim("publish", List.of("/chat/*")));
        assertThat(hmacPolicy.canPublish(null, "/chat/room", withToken(token), CONTEXT)).isTrue();
        assertThat(hmacPolicy.canPublish(null, "/admin", withToken(token), CONTEXT)).isFalse();
    }

    // Tokens and messages

    private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(NOW.plusSeconds(600)));
        change.accept(b);
        return b.build();
    }

    private static String hs256(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(new MACSigner(SECRET), JWSAlgorithm.HS256, change);
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(signer, alg, null, change);
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, Consumer<JWTClaimsSet.Builder> change)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims(change));
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static boolean admitted(JwtSecurityPolicy policy, String token) {
        return policy.canHandshake(handshake(token), CONTEXT).allowed();
    }

    private static Message handshake(String token) {
        return withToken(token).channel("/meta/handshake");
    }

    private static Message withToken(String token) {
        Message m = new Message().channel("/meta/subscribe");
        return token == null ? m : m.ext(JsonValue.parse("{\"token\":\"" + token + "\"}"));
    }

    private static Message plain() {
        return new Message().channel("/meta/subscribe");
    }

    private ServerSession session(String token) {
        HandshakeDecision d = hmacPolicy.canHandshake(handshake(token), CONTEXT);
        assertThat(d.allowed()).as("handshake with %s", token).isTrue();
        return sessionOf(d.principal());
    }

    private static ServerSession sessionOf(Object principal) {
        return new ServerSession() {
            public String clientId() { return "c1"; }
            public boolean isLocal() { return false; }
            public JsonValue handshakeExt() { return null; }
            public Object principal() { return principal; }
        };
    }
}
