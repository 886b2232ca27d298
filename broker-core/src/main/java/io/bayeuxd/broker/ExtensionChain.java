package io.bayeuxd.broker;

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

    boolean isEmpty() {
        return extensions.isEmpty();
    }

    Message incoming(Message message, ExtensionContext context) {
        for (int i = 0, n = extensions.size(); i < n && message != null; i++) {
            message = extensions.get(i).incoming(message, context);
        }
        return message;
    }

    Message outgoing(Message message, ExtensionContext context) {
        for (int i = 0, n = extensions.size(); i < n && message != null; i++) {
            message = extensions.get(i).outgoing(message, context);
        }
        return message;
    }
}
