package io.bayeuxd.api;

import java.util.concurrent.CompletionStage;

/**
 * An {@link Extension} whose incoming step may answer later, as a Faye server extension that calls
 * {@code callback(message)} once another service has answered (a token checked against an auth service).
 * Register with {@code Broker#addExtension(AsyncExtension)} (or {@code BrokerServer#addExtension}).
 *
 * <p>{@link #incoming} is called on the request's event loop, after every synchronous extension; the call
 * itself must not block, and the stage may complete on any thread. The broker resumes the message on its
 * connection's event loop once the stage completes: the next asynchronous extension, the security policy,
 * then its handler. Meanwhile later messages of the same connection wait, so a client's messages keep their
 * order, and every other connection goes on. Several asynchronous extensions run one after the other, in
 * the order registered.
 *
 * <p>What the stage's outcome does:
 * <ul>
 *   <li>the message passed (changed through {@link BayeuxMessage}, as a synchronous extension may): one
 *       with {@link BayeuxMessage#error(String)} set is answered with that error, and later asynchronous
 *       extensions do not see it;</li>
 *   <li>{@code null}: the message is dropped without an answer, as from a synchronous extension;</li>
 *   <li>no answer within {@link #timeoutMs()}, or a {@link java.util.concurrent.TimeoutException}: the
 *       message is answered {@code 500::Extension timed out} ({@code 500:<channel>:Extension timed out} for
 *       a publish);</li>
 *   <li>any other failure (also one thrown by {@code incoming} itself, or an answer that is another
 *       message than the one passed): {@code 500::Extension failed}
 *       ({@code 500:<channel>:Extension failed}).</li>
 * </ul>
 * A failed handshake or connect is advised {@code reconnect: "handshake"}, as any failed one is. The first
 * timeout and the first failure of each extension are logged; later ones are only counted as errors.
 *
 * <p>Messages of the server's own in-process clients do not pass through asynchronous extensions: their
 * calls answer at once.
 *
 * <p>{@link #outgoing} stays synchronous: a publication is encoded once for all its subscribers, so there
 * is no per-subscriber step that could wait, and a reply waiting for an extension would hold every later
 * reply of its connection for nothing the client asked.
 */
public interface AsyncExtension {
    /** How long the broker waits for {@link #incoming} when the extension says nothing else. */
    long DEFAULT_TIMEOUT_MS = 5_000;

    /** Sees a message of a request before the broker acts on it; see the type's documentation. */
    CompletionStage<BayeuxMessage> incoming(BayeuxMessage message, ExtensionContext context);

    /** As {@link Extension#outgoing}: synchronous, on the event loop, and must not block. */
    default BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
        return message;
    }

    /** How long the broker waits for each {@link #incoming} before answering {@code Extension timed out}. */
    default long timeoutMs() {
        return DEFAULT_TIMEOUT_MS;
    }
}
