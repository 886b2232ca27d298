package io.bayeuxd.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Signed, expiring tokens a web application mints for its users and the broker checks without a
 * database: {@code v1.<user>.<roles>.<expires>.<signature>}, where user and roles (comma-separated) are
 * base64url, expires is epoch seconds and the signature is base64url HMAC-SHA256 over everything before
 * it, keyed with a secret shared by the application and the broker.
 */
public final class HmacTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;

    public HmacTokens(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the HMAC secret must be at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Mints a token; for applications and tests. */
    public String issue(String user, Set<String> roles, long expiresEpochSeconds) {
        String body = "v1." + B64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(String.join(",", roles).getBytes(StandardCharsets.UTF_8)) + "." + expiresEpochSeconds;
        return body + "." + B64.encodeToString(sign(body));
    }

    /** The principal of a valid, unexpired token, or {@code null}. */
    Principal verify(String token, long nowEpochSeconds) {
        if (token == null || token.length() > 4096) {
            return null;
        }
        int sig = token.lastIndexOf('.');
        String[] parts = token.split("\\.", -1);
        if (sig < 0 || parts.length != 5 || !parts[0].equals("v1")) {
            return null;
        }
        try {
            byte[] expected = sign(token.substring(0, sig));
            byte[] given = B64D.decode(parts[4]);
            if (!MessageDigest.isEqual(expected, given)) {
                return null;
            }
            long expires = Long.parseLong(parts[3]);
            if (nowEpochSeconds >= expires) {
                return null;
            }
            String user = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
            String roles = new String(B64D.decode(parts[2]), StandardCharsets.UTF_8);
            Set<String> set = new LinkedHashSet<>(roles.isEmpty() ? Set.of() : Arrays.asList(roles.split(",")));
            return new Principal(user, set);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
