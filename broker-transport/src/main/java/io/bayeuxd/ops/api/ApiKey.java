package io.bayeuxd.ops.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API's shared secret. Only its SHA-256 digest is kept; a presented key is hashed the same way and the
 * two digests are compared with {@link MessageDigest#isEqual}, whose time does not depend on where they
 * differ, and since both digests are 32 bytes, neither on the presented key's length. {@link #toString()}
 * never shows the key.
 */
public final class ApiKey {
    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    public ApiKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an API key must not be empty");
        }
        this.digest = sha256(key);
    }

    /** Whether an {@code Authorization} header value ({@code null} when absent) carries this key as a Bearer token. */
    boolean authorizes(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey(redacted)";
    }
}
