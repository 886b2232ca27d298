package io.bayeuxd.security.jwt;

import io.bayeuxd.api.ExpiringPrincipal;
import io.bayeuxd.channel.ChannelName;

import java.time.Instant;
import java.util.List;

/**
 * What a session's connection token said: its user ({@code sub}), when it expires ({@code exp}), and
 * the channel patterns of its {@code channels} and {@code publish} claims, each {@code null} when the
 * claim is absent, which leaves that operation unrestricted. {@code validUntil} is {@code exp} plus the
 * clock skew the policy allows: past it the broker ends the session, and the client must handshake again
 * with a fresh token.
 */
public record JwtPrincipal(String user, Instant expiresAt, Instant validUntil, List<String> channels, List<String> publish)
        implements java.security.Principal, ExpiringPrincipal {
    public JwtPrincipal {
        channels = channels == null ? null : List.copyOf(channels);
        publish = publish == null ? null : List.copyOf(publish);
    }

    @Override
    public String getName() {
        return user;
    }

    /** Whether the {@code channels} claim, if any, covers a subscription to {@code channel} (a name or a pattern). */
    public boolean maySubscribe(String channel) {
        return covered(channels, channel);
    }

    /** Whether the {@code publish} claim, if any, covers {@code channel}. */
    public boolean mayPublish(String channel) {
        return covered(publish, channel);
    }

    private static boolean covered(List<String> granted, String channel) {
        if (granted == null) {
            return true;
        }
        for (int i = 0, n = granted.size(); i < n; i++) {
            if (ChannelName.covers(granted.get(i), channel)) {
                return true;
            }
        }
        return false;
    }
}
