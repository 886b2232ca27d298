package io.bayeuxd.security.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy.HandshakeDecision;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.security.Principal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@code --auth-webhook URL}: asks the application's backend about every handshake, subscribe and
 * publish with a JSON POST, {@code {"operation", "clientId", "channel", "ext", "user"}}, and answers from
 * its reply, {@code {"allow": true}} or {@code {"allow": false, "error": "..."}} (a handshake's may add
 * {@code "user"}, the session's user from then on).
 *
 * <ul>
 *   <li>2xx with {@code allow}: that answer, kept for {@code cacheTtlMs} per question (the same
 *       operation, client, channel, {@code ext} and user);</li>
 *   <li>4xx: denied;</li>
 *   <li>5xx, a reply without {@code allow}, a connection that fails: not answered
 *       ({@code 403::Authorization unavailable}), and counted by the circuit breaker;</li>
 *   <li>no reply within the timeout: {@code 403::Authorization timed out}, also counted.</li>
 * </ul>
 * After {@code breakerThreshold} such failures in a row every question is refused at once
 * ({@code Authorization unavailable}) for {@code breakerCoolDownMs}. The JDK's {@link HttpClient} sends
 * the requests; no event loop waits for them.
 */
public final class AuthWebhook implements AsyncSecurityPolicy {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Settings of the webhook, with the defaults {@code --auth-webhook} uses. */
    public record Options(long timeoutMs, long cacheTtlMs, int cacheEntries, int breakerThreshold, long breakerCoolDownMs) {
        public static final Options DEFAULTS = new Options(2_000, 5_000, 10_000, 5, 10_000);

        public Options withTimeoutMs(long timeoutMs) {
            return new Options(timeoutMs, cacheTtlMs, cacheEntries, breakerThreshold, breakerCoolDownMs);
        }
    }

    /** The breaker is open: refused without asking. */
    static final class BackendUnavailable extends RuntimeException {
        BackendUnavailable(String why) {
            super(why, null, false, false);
        }
    }

    private final URI uri;
    private final Options options;
    private final HttpClient http;
    private final DecisionCache<Object> cache;
    private final CircuitBreaker breaker;

    public AuthWebhook(URI uri, Options options) {
        this(uri, options, HttpClient.newBuilder().connectTimeout(Duration.ofMillis(options.timeoutMs())).build(), System::nanoTime);
    }

    AuthWebhook(URI uri, Options options, HttpClient http, LongSupplier nanoClock) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("the auth webhook must be an http:// or https:// URL");
        }
        this.uri = uri;
        this.options = options;
        this.http = http;
        this.cache = new DecisionCache<>(options.cacheTtlMs() * 1_000_000, options.cacheEntries(), nanoClock);
        this.breaker = new CircuitBreaker(options.breakerThreshold(), options.breakerCoolDownMs() * 1_000_000, nanoClock);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<HandshakeDecision> canHandshake(BayeuxMessage handshake, ExtensionContext context) {
        return (CompletionStage<HandshakeDecision>) (CompletionStage<?>) ask("handshake", null, null, handshake.ext(), null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Decision> canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return (CompletionStage<Decision>) (CompletionStage<?>) ask("subscribe", session, channel, message.ext(), session.user());
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Decision> canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        return (CompletionStage<Decision>) (CompletionStage<?>) ask("publish", session, channel, message.ext(),
                session == null ? null : session.user());
    }

    /** The backend's own timeout comes first; the broker's, a little later, is only a backstop. */
    @Override
    public long decisionTimeoutMs() {
        return options.timeoutMs() + 500;
    }

    /** Questions answered from the cache's live entries, for tests. */
    int cached() {
        return cache.size();
    }

    boolean breakerOpen() {
        return breaker.isOpen();
    }

    private CompletableFuture<Object> ask(String operation, ServerSession session, String channel, JsonValue ext, String user) {
        byte[] body = body(operation, session == null ? null : session.clientId(), channel, ext, user);
        String key = new String(body, StandardCharsets.UTF_8);
        return cache.get(key, () -> {
            if (!breaker.allows()) {
                return CompletableFuture.failedFuture(new BackendUnavailable("circuit open"));
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMillis(options.timeoutMs()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, failure) -> answer(operation, channel, response, failure));
        });
    }

    /** The decision from the backend's reply; throws (failing the stage) when there is none. */
    private Object answer(String operation, String channel, HttpResponse<byte[]> response, Throwable failure) {
        if (failure != null) {
            breaker.failed();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof HttpTimeoutException) {
                throw new CompletionException(new TimeoutException("the auth webhook did not answer in time"));
            }
            throw new CompletionException(cause);
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            breaker.succeeded();
            return denied(operation, channel, null);
        }
        JsonNode reply = status / 100 == 2 ? parse(response.body()) : null;
        if (reply == null || !reply.path("allow").isBoolean()) {
            breaker.failed();
            throw new BackendUnavailable("the auth webhook answered " + status + (reply == null ? "" : " without \"allow\""));
        }
        breaker.succeeded();
        String error = reply.path("error").isTextual() ? reply.get("error").asText() : null;
        if (!reply.get("allow").asBoolean()) {
            return denied(operation, channel, error);
        }
        if ("handshake".equals(operation)) {
            String user = reply.path("user").isTextual() ? reply.get("user").asText() : null;
            return user == null ? HandshakeDecision.ALLOW : HandshakeDecision.allow(new Principal(user, Set.of()));
        }
        return Decision.ALLOW;
    }

    /**
     * A denial with the backend's error: taken as it is when it is a Bayeux error ({@code 403::Banned}),
     * else made one ({@code 403:<channel>:<text>}).
     */
    private static Object denied(String operation, String channel, String error) {
        String bayeux = error == null ? null
                : BayeuxError.code(error) >= 0 && error.indexOf(':', error.indexOf(':') + 1) > 0 ? error
                : BayeuxError.format(403, error, channel);
        if ("handshake".equals(operation)) {
            return bayeux == null ? HandshakeDecision.DENY : HandshakeDecision.deny(bayeux);
        }
        return bayeux == null ? Decision.DENY : Decision.deny(bayeux);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code {"operation", "clientId", "channel", "ext", "user"}}; {@code ext} as the client sent it. */
    static byte[] body(String operation, String clientId, String channel, JsonValue ext, String user) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (ext == null ? 0 : ext.bytes().length));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("operation", operation);
            g.writeStringField("clientId", clientId);
            g.writeStringField("channel", channel);
            g.writeFieldName("ext");
            if (ext == null) {
                g.writeNull();
            } else {
                g.writeRawValue(new String(ext.bytes(), StandardCharsets.UTF_8));
            }
            g.writeStringField("user", user);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
