package io.bayeuxd.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerSession;
import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A ready {@link SecurityPolicy} configured from a JSON file: credentials in {@code ext} (the pattern
 * Faye's documentation recommends) and per-channel-pattern rules for who may subscribe and publish.
 *
 * <pre>{@code
 * {
 *   "tokens": {"s3cret-shared-token": {"user": "alice", "roles": ["admin"]}},
 *   "hmacSecret": "at-least-sixteen-characters",
 *   "requireToken": false,
 *   "default": "deny",
 *   "rules": [
 *     {"channel": "/admin/**", "subscribe": ["role:admin"], "publish": ["role:admin"]},
 *     {"channel": "/chat/**",  "subscribe": ["anyone"],     "publish": ["authenticated"]}
 *   ]
 * }
 * }</pre>
 *
 * <p>A client presents {@code ext.token} (or {@code ext.authToken}): a shared token listed under
 * {@code tokens}, or an {@link HmacTokens} token signed with {@code hmacSecret}. The handshake's token
 * gives the session its {@link Principal}; a subscribe or publish may also carry its own token. A token
 * that is present but invalid denies the handshake; {@code requireToken} denies handshakes without one.
 * Rules are tried in order and the first whose channel pattern covers the channel decides; who may is
 * a list of {@code anyone}, {@code authenticated}, {@code user:<name>} or {@code role:<role>}. With no
 * matching rule, {@code default} decides ({@code deny} unless set to {@code allow}).
 */
public final class RulesSecurityPolicy implements SecurityPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Principal> tokens;
    private final HmacTokens hmac;
    private final boolean requireToken;
    private final boolean defaultAllow;
    private final List<Rule> rules;
    private final LongSupplier epochSeconds;

    private RulesSecurityPolicy(Map<String, Principal> tokens, HmacTokens hmac, boolean requireToken, boolean defaultAllow,
                                List<Rule> rules, LongSupplier epochSeconds) {
        this.tokens = tokens;
        this.hmac = hmac;
        this.requireToken = requireToken;
        this.defaultAllow = defaultAllow;
        this.rules = rules;
        this.epochSeconds = epochSeconds;
    }

    public static RulesSecurityPolicy load(Path file) throws IOException {
        return parse(Files.readString(file), () -> System.currentTimeMillis() / 1000);
    }

    /** Parses the configuration; throws {@link IllegalArgumentException} saying what is wrong. */
    public static RulesSecurityPolicy parse(String json, LongSupplier epochSeconds) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("security file is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("security file must hold a JSON object");
        }
        Map<String, Principal> tokens = new HashMap<>();
        root.path("tokens").fields().forEachRemaining(e -> tokens.put(e.getKey(), principal(e.getValue())));
        HmacTokens hmac = root.hasNonNull("hmacSecret") ? new HmacTokens(root.get("hmacSecret").asText()) : null;
        String dflt = root.path("default").asText("deny");
        if (!dflt.equals("deny") && !dflt.equals("allow")) {
            throw new IllegalArgumentException("security file: \"default\" must be \"allow\" or \"deny\"");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : root.path("rules")) {
            String channel = r.path("channel").asText(null);
            if (!ChannelName.isValid(channel)) {
                throw new IllegalArgumentException("security file: rule channel " + channel + " is not a channel or pattern");
            }
            rules.add(new Rule(channel, grants(r.path("subscribe")), grants(r.path("publish"))));
        }
        return new RulesSecurityPolicy(tokens, hmac, root.path("requireToken").asBoolean(false), dflt.equals("allow"), rules, epochSeconds);
    }

    private static Principal principal(JsonNode n) {
        Set<String> roles = new LinkedHashSet<>();
        n.path("roles").forEach(r -> roles.add(r.asText()));
        return new Principal(n.path("user").asText(""), roles);
    }

    private static List<String> grants(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(g -> {
            String s = g.asText();
            if (!s.equals("anyone") && !s.equals("authenticated") && !s.startsWith("user:") && !s.startsWith("role:")) {
                throw new IllegalArgumentException("security file: unknown grant \"" + s + "\"");
            }
            out.add(s);
        });
        return out;
    }

    @Override
    public HandshakeDecision canHandshake(BayeuxMessage handshake, ExtensionContext context) {
        String token = token(handshake.ext());
        if (token == null) {
            return requireToken ? HandshakeDecision.DENY : HandshakeDecision.ALLOW;
        }
        Principal p = authenticate(token);
        return p == null ? HandshakeDecision.DENY : HandshakeDecision.allow(p);
    }

    @Override
    public boolean canSubscribe(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        Rule rule = ruleFor(channel);
        return rule == null ? defaultAllow : granted(rule.subscribe, who(session, message));
    }

    @Override
    public boolean canPublish(ServerSession session, String channel, BayeuxMessage message, ExtensionContext context) {
        Rule rule = ruleFor(channel);
        return rule == null ? defaultAllow : granted(rule.publish, who(session, message));
    }

    private Principal who(ServerSession session, BayeuxMessage message) {
        String token = token(message.ext());
        if (token != null) {
            return authenticate(token);
        }
        return session != null && session.principal() instanceof Principal p ? p : null;
    }

    private Principal authenticate(String token) {
        for (Map.Entry<String, Principal> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                return e.getValue();
            }
        }
        return hmac == null ? null : hmac.verify(token, epochSeconds.getAsLong());
    }

    private static String token(JsonValue ext) {
        if (ext == null || !ext.isObject()) {
            return null;
        }
        JsonNode tree = ext.tree();
        JsonNode t = tree.hasNonNull("token") ? tree.get("token") : tree.get("authToken");
        return t != null && t.isTextual() ? t.asText() : null;
    }

    private Rule ruleFor(String channel) {
        for (Rule r : rules) {
            if (covers(r.channel, channel)) {
                return r;
            }
        }
        return null;
    }

    private static boolean granted(List<String> grants, Principal p) {
        for (String g : grants) {
            if (g.equals("anyone")
                    || g.equals("authenticated") && p != null
                    || p != null && g.startsWith("user:") && g.substring(5).equals(p.user())
                    || p != null && g.startsWith("role:") && p.roles().contains(g.substring(5))) {
                return true;
            }
        }
        return false;
    }

    /** See {@link ChannelName#covers}. */
    static boolean covers(String rule, String channel) {
        return ChannelName.covers(rule, channel);
    }

    private record Rule(String channel, List<String> subscribe, List<String> publish) {
    }
}
