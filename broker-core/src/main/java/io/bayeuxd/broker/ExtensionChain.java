package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.protocol.Message;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs the registered extensions in order; a {@code null} from one stops the chain. */
final class ExtensionChain {
    private final List<Extension> extensions = new CopyOnWriteArrayList<>();

    void add(Extension extension) {
        extensions.add(extension);
    }

    void remove(Extension extension) {
        extensions.remove(extension);
    }

    /**
     * Runs the outgoing step of an asynchronous extension here, in registration order with the synchronous
     * ones; its incoming step is the broker's to run ({@link AsyncExtensionChain}).
     */
    void addOutgoing(AsyncExtension extension) {
        extensions.add(new OutgoingOf(extension));
    }

    void removeOutgoing(AsyncExtension extension) {
        extensions.removeIf(e -> e instanceof OutgoingOf o && o.extension == extension);
    }

    boolean isEmpty() {
        return extensions.isEmpty();
    }

    Message incoming(Message message, ExtensionContext context) {
        for (int i = 0, n = extensions.size(); i < n && message != null; i++) {
            message = passed(message, extensions.get(i).incoming(message, context));
        }
        return message;
    }

    Message outgoing(Message message, ExtensionContext context) {
        for (int i = 0, n = extensions.size(); i < n && message != null; i++) {
            message = passed(message, extensions.get(i).outgoing(message, context));
        }
        return message;
    }

    /**
     * The message an extension passed on: the one it was given, or {@code null} to drop it. Any other
     * object could carry a channel or client id the broker never validated, so it fails the request.
     */
    static Message passed(Message given, BayeuxMessage returned) {
        if (returned != given && returned != null) {
            throw new IllegalStateException("An extension returned another message than the one it was given");
        }
        return returned == null ? null : given;
    }

    /** The outgoing step of an asynchronous extension; its incoming one passes the message on untouched. */
    private record OutgoingOf(AsyncExtension extension) implements Extension {
        @Override
        public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
            return extension.outgoing(message, context);
        }
    }
}
