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

    /** Characters of a node token that starts every id of a node in a cluster ({@link #forNode}). */
    public static final int NODE_TOKEN_LENGTH = 7;

    private final SecureRandom random = new SecureRandom();
    private final byte[] prefix;

    /** Ids of a node alone: every character random. */
    public ClientIdGenerator() {
        this.prefix = new byte[0];
    }

    private ClientIdGenerator(String nodeToken) {
        this.prefix = nodeToken.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Ids of one node of a cluster: its token, then random characters (24 of them, 124 bits), so any
     * node can tell from a client id which node holds the session.
     */
    public static ClientIdGenerator forNode(String nodeToken) {
        if (nodeToken.length() != NODE_TOKEN_LENGTH) {
            throw new IllegalArgumentException("a node token has " + NODE_TOKEN_LENGTH + " characters: " + nodeToken);
        }
        return new ClientIdGenerator(nodeToken);
    }

    /** A new node token: random base-36 characters. */
    public static String newNodeToken() {
        return new ClientIdGenerator().next().substring(0, NODE_TOKEN_LENGTH);
    }

    /** The node token an id starts with, or {@code null} when it cannot be one of a cluster's. */
    public static String nodeTokenOf(String clientId) {
        return clientId == null || clientId.length() != LENGTH ? null : clientId.substring(0, NODE_TOKEN_LENGTH);
    }

    public String next() {
        byte[] noise = new byte[DRAW];
        byte[] id = new byte[LENGTH];
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        int filled = prefix.length;
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
