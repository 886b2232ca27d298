package io.bayeuxd.session;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Unguessable client ids: 160 bits from a CSPRNG written in base 36 and padded to 31 characters, the
 * shape Faye's ids have.
 */
public final class ClientIdGenerator {
    private static final int BITS = 160;
    private static final int LENGTH = (int) Math.ceil(BITS * Math.log(2) / Math.log(36));

    private final SecureRandom random = new SecureRandom();

    public String next() {
        String id = new BigInteger(BITS, random).toString(36);
        if (id.length() == LENGTH) {
            return id;
        }
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = id.length(); i < LENGTH; i++) {
            sb.append('0');
        }
        return sb.append(id).toString();
    }
}
