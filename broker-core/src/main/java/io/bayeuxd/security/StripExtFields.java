package io.bayeuxd.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.JsonValue;

import java.util.Set;

/**
 * Keeps credentials out of what subscribers receive: removes the named fields from the {@code ext} of
 * every published message in its single outgoing step, before it is encoded for all subscribers.
 */
public final class StripExtFields implements Extension {
    /** What the broker strips unless configured otherwise ({@code --strip-ext-fields}). */
    public static final Set<String> DEFAULT_FIELDS = Set.copyOf(BrokerSettings.STRIP_EXT_FIELDS.defaultValue());

    private final Set<String> fields;

    public StripExtFields(Set<String> fields) {
        this.fields = Set.copyOf(fields);
    }

    @Override
    public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
        JsonValue ext = message.ext();
        if (ext == null || !ext.isObject() || ChannelName.isMeta(message.channel()) || message.data() == null) {
            return message;
        }
        ObjectNode tree = (ObjectNode) ext.tree();
        boolean changed = false;
        for (String f : fields) {
            changed |= tree.remove(f) != null;
        }
        if (changed) {
            message.ext(tree.isEmpty() ? null : JsonValue.of(tree));
        }
        return message;
    }
}
