package io.bayeuxd.api;

import java.time.Instant;

/**
 * A principal whose credentials stop being valid at a known instant, as a JWT's {@code exp} does. The
 * broker ends a session whose principal has expired (the sweep looks once a second) with
 * {@link DisconnectReason#CREDENTIALS_EXPIRED}; its held connect is answered
 * {@code advice: {reconnect: "handshake"}}, so the client handshakes again and presents fresh credentials.
 */
public interface ExpiringPrincipal {
    /** The last instant at which the credentials are accepted (any clock-skew allowance included). */
    Instant validUntil();
}
