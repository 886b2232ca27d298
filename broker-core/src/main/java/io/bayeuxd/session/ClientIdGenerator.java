package io.bayeuxd.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Unguessable client ids in the shape Faye's have: 31 base-36 characters ({@code 0-9a-z}), each drawn
 * uniformly from a CSPRNG, which is 31 x log2(36) = 160.3 bits.
 *
 * <p>Written straight from random bytes rather than through {@code BigInteger.toString(36)}, which
 * allocated about 1.2 KB per id: every handshake makes one.
 */
public final class ClientIdGenerator {
    /** Characters in an id. */
    public static final int LENGTH = 31;
    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    /** The largest multiple of 36 not above 256: bytes from here up would favour the first digits. */
    private static final int UNBIASED_BELOW = 256 - 256 % DIGITS.length;
    /** Random bytes drawn per round: enough that one round almost always fills an id (4 in 256 are rejected). */
    private static final int DRAW = LENGTH + 9;

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] noise = new byte[DRAW];
        byte[] id = new byte[LENGTH];
        int filled = 0;
        while (filled < LENGTH) {
            random.nextBytes(noise);
            for (int i = 0; i < DRAW && filled < LENGTH; i++) {
                int b = noise[i] & 0xFF;
                if (b < UNBIASED_BELOW) {
                    id[filled++] = DIGITS[b % DIGITS.length];
                }
            }
        }
        return new String(id, StandardCharsets.US_ASCII);
    }
}
