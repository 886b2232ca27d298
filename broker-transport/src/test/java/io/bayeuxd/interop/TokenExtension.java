package io.bayeuxd.interop;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.JsonValue;

/**
 * The interop suites' server rule, the same as {@code interop/faye/reference-server.js}: a publish to
 * {@code /secure/**} needs {@code ext.token == "letmein"}, otherwise it is rejected with
 * {@code 403::Forbidden channel}.
 */
final class TokenExtension implements Extension {
    @Override
    public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
        String channel = message.channel();
        if (channel == null || !channel.startsWith("/secure/")) {
            return message;
        }
        JsonValue ext = message.ext();
        String token = ext == null || !ext.isObject() ? null : ext.tree().path("token").asText(null);
        if (!"letmein".equals(token)) {
            message.error(BayeuxError.channelForbidden());
        }
        return message;
    }
}
