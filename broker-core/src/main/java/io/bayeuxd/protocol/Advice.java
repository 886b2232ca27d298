package io.bayeuxd.protocol;

/**
 * The {@code advice} field. A client sends at most {@code timeout} (a connect that wants an immediate
 * answer sends 0); the server sends all three. A {@code null} component is absent from the JSON.
 *
 * @param reconnect  {@code "retry"}, {@code "handshake"} or {@code "none"}
 * @param intervalMs milliseconds the client waits before its next connect
 * @param timeoutMs  milliseconds the server may hold a connect
 */
public record Advice(String reconnect, Long intervalMs, Long timeoutMs) {
    public static final Advice HANDSHAKE = new Advice("handshake", null, null);

    public static Advice retry(long intervalMs, long timeoutMs) {
        return new Advice("retry", intervalMs, timeoutMs);
    }
}
