package io.bayeuxd.api;

import java.time.Instant;

/**
 * One client subscribed to a channel: its client id, its user ({@link ServerSession#user()}, or
 * {@code null}) and when it subscribed.
 */
public record Presence(String clientId, String user, Instant since) {
}
