package io.bayeuxd.security.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys a token may be signed with, and the only algorithms accepted with them. The algorithms
 * follow from the kind of key, never from the token: a shared secret accepts HS256/384/512 only, RSA
 * keys RS and PS, EC keys ES. So {@code alg: none} is never accepted, nor a token signed with HMAC
 * using a public key as the secret (algorithm confusion).
 */
public final class JwtKeys {
    /** What {@code --jwt-secret} must at least be: HS256 needs a 256-bit key. */
    public static final int MIN_SECRET_BYTES = 32;
    static final int MIN_RSA_BITS = 2048;

    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final JWKSource<SecurityContext> source;
    private final Set<JWSAlgorithm> algorithms;

    private JwtKeys(JWKSource<SecurityContext> source, Set<JWSAlgorithm> algorithms) {
        this.source = source;
        this.algorithms = Set.copyOf(algorithms);
    }

    /** A secret shared with the application that mints tokens (HMAC); at least {@value #MIN_SECRET_BYTES} bytes in UTF-8. */
    public static JwtKeys secret(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new JwtKeys(new ImmutableSecret<>(bytes), HMAC);
    }

    /**
     * One RSA (2048 bits or more) or EC public key, as a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) or a
     * PEM {@code CERTIFICATE} whose key is used.
     */
    public static JwtKeys publicKeyPem(String pem) {
        PublicKey key = pem.contains("-----BEGIN CERTIFICATE-----") ? certificateKey(pem) : spkiKey(pem);
        return new JwtKeys(new ImmutableJWKSet<>(new JWKSet(jwk(key))), key instanceof RSAPublicKey ? RSA : EC);
    }

    /** A JWKS document ({@code {"keys": [...]}}); its RSA and EC public keys are used, anything else ignored. */
    public static JwtKeys jwks(String json) {
        JWKSet set;
        try {
            // toPublicJWKSet drops private parts and symmetric keys: a JWKS is for public keys only.
            set = JWKSet.parse(json).toPublicJWKSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS document: " + e.getMessage());
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        List<JWK> keys = set.getKeys().stream()
                .filter(k -> KeyType.RSA.equals(k.getKeyType()) || KeyType.EC.equals(k.getKeyType())).toList();
        for (JWK k : keys) {
            if (k instanceof RSAKey rsa) {
                checkRsaSize(rsa.size());
                algorithms.addAll(RSA);
            } else {
                algorithms.addAll(EC);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no RSA or EC public key");
        }
        return new JwtKeys(new ImmutableJWKSet<>(new JWKSet(keys)), algorithms);
    }

    /** {@link #publicKeyPem} of a file; throws {@link IllegalArgumentException} saying what is wrong. */
    public static JwtKeys publicKeyFile(Path file) {
        return publicKeyPem(read(file));
    }

    /** {@link #jwks} of a file; throws {@link IllegalArgumentException} saying what is wrong. */
    public static JwtKeys jwksFile(Path file) {
        return jwks(read(file));
    }

    JWKSource<SecurityContext> source() {
        return source;
    }

    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }

    private static PublicKey spkiKey(String pem) {
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("expected a PEM \"PUBLIC KEY\" or \"CERTIFICATE\"");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM public key is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Try the next kind of key.
            }
        }
        throw new IllegalArgumentException("the PEM public key is neither an RSA nor an EC key");
    }

    private static PublicKey certificateKey(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM certificate cannot be read: " + e.getMessage());
        }
    }

    private static JWK jwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            checkRsaSize(rsa.getModulus().bitLength());
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("the EC public key is not on P-256, P-384 or P-521");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new IllegalArgumentException("the public key is neither an RSA nor an EC key");
    }

    private static void checkRsaSize(int bits) {
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys must have at least " + MIN_RSA_BITS + " bits, not " + bits);
        }
    }
}
