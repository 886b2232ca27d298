package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registered {@link AsyncExtension}s, and what a message becomes from one's answer. The waiting itself
 * is {@link DecisionWait}'s, and the broker walks the chain one extension at a time, resuming on the
 * request's event loop after each.
 */
final class AsyncExtensionChain {
    private static final Logger log = LoggerFactory.getLogger(AsyncExtensionChain.class);
    static final String TIMED_OUT = "Extension timed out";
    static final String FAILED = "Extension failed";

    private final List<AsyncExtension> extensions = new CopyOnWriteArrayList<>();
    /** Extensions whose timeout or failure was logged already: one line each, then only counted. */
    private final Set<Object> logged = Collections.newSetFromMap(new ConcurrentHashMap<>());

    void add(AsyncExtension extension) {
        extensions.add(extension);
    }

    void remove(AsyncExtension extension) {
        extensions.remove(extension);
    }

    boolean isEmpty() {
        return extensions.isEmpty();
    }

    int size() {
        return extensions.size();
    }

    AsyncExtension get(int i) {
        return extensions.get(i);
    }

    /** Asks {@code extension} about {@code message}; a throwing extension is a failed stage. */
    static CompletionStage<BayeuxMessage> ask(AsyncExtension extension, Message message, ExtensionContext context) {
        try {
            CompletionStage<BayeuxMessage> stage = extension.incoming(message, context);
            return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException("incoming returned no stage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The message as {@code extension} left it once {@code wait} is decided: its answer ({@code null}:
     * dropped), or {@code asked} failed with a timeout or failure error. An answer that is another message
     * than {@code asked} is a failure: it could carry a channel or client id the broker never validated.
     */
    Message outcome(AsyncExtension extension, Message asked, DecisionWait wait) {
        if (wait.timedOut()) {
            if (logged.add(new Logged(extension, true))) {
                log.warn("Asynchronous extension {} did not answer within {} ms; answered '{}' (further timeouts are only counted)",
                        extension, extension.timeoutMs(), TIMED_OUT);
            }
            return asked.error(error(asked, TIMED_OUT));
        }
        Throwable failure = wait.failure();
        if (failure == null && wait.answer() != null && wait.answer() != asked) {
            failure = new IllegalStateException("answered another message than the one it was given");
        }
        if (failure != null) {
            if (logged.add(new Logged(extension, false))) {
                log.warn("Asynchronous extension {} failed; answered '{}' (further failures are only counted)",
                        extension, FAILED, failure);
            }
            return asked.error(error(asked, FAILED));
        }
        return wait.answer() == null ? null : asked;
    }

    /** {@code 500:<channel>:text} for a publish, {@code 500::text} for a meta message, as the policy's errors. */
    private static String error(Message message, String text) {
        String channel = message.channel();
        return BayeuxError.format(500, text, channel != null && !ChannelName.isMeta(channel) ? channel : null);
    }

    /** The key of a logged timeout or failure. */
    private record Logged(AsyncExtension extension, boolean timeout) {
    }
}
