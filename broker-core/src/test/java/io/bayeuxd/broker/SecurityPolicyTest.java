package io.bayeuxd.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.security.HmacTokens;
import io.bayeuxd.security.RulesSecurityPolicy;
import io.bayeuxd.security.StripExtFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules policy enforced by the broker, as a client sees it. */
class SecurityPolicyTest {
    private static final String SECRET = "a-secret-of-sixteen-chars";
    private static final String RULES = """
            {"tokens": {"shared-token": {"user": "bob", "roles": ["reader"]}},
             "hmacSecret": "%s",
             "rules": [
               {"channel": "/admin/**", "subscribe": ["role:admin"], "publish": ["role:admin"]},
               {"channel": "/chat/*", "subscribe": ["anyone"], "publish": ["authenticated"]},
               {"channel": "/users/alice", "subscribe": ["user:alice"], "publish": ["user:alice"]}
             ]}""".formatted(SECRET);

    private final BrokerHarness h = new BrokerHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void install(String json) {
        h.broker.securityPolicy(RulesSecurityPolicy.parse(json, () -> 100));
    }

    private String handshake(String ext) {
        JsonNode r = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]"
                + (ext == null ? "" : ",\"ext\":" + ext) + "}");
        return r.path("clientId").asText(null);
    }

    @Test
    void handshakeTokenDecidesWhatASessionMayDo() {
        install(RULES);
        String admin = handshake("{\"token\":\"" + new HmacTokens(SECRET).issue("alice", Set.of("admin"), 200) + "\"}");
        String reader = handshake("{\"token\":\"shared-token\"}");
        String anonymous = handshake(null);

        assertThat(h.subscribe(admin, "/admin/logs").get("successful").asBoolean()).isTrue();
        assertThat(h.subscribe(reader, "/admin/logs").get("error").asText()).isEqualTo("403:/admin/logs:Forbidden channel");
        assertThat(h.subscribe(anonymous, "/chat/room").get("successful").asBoolean()).isTrue();
        assertThat(h.subscribe(admin, "/users/alice").get("successful").asBoolean()).isTrue();
        assertThat(h.subscribe(reader, "/users/alice").get("successful").asBoolean()).isFalse();

        assertThat(h.publish(reader, "/chat/room", "1").get("successful").asBoolean()).isTrue();
        assertThat(h.publish(anonymous, "/chat/room", "1").get("error").asText()).isEqualTo("403:/chat/room:Forbidden channel");
        assertThat(h.sendOne("{\"channel\":\"/chat/room\",\"data\":1}").get("successful").asBoolean()).isFalse();
        assertThat(h.sendOne("{\"channel\":\"/chat/room\",\"data\":1,\"ext\":{\"authToken\":\"shared-token\"}}")
                .get("successful").asBoolean()).isTrue();
        // No rule covers /other: denied by default.
        assertThat(h.publish(admin, "/other", "1").get("successful").asBoolean()).isFalse();
        assertThat(h.broker.deniedOperations()).isEqualTo(5);
    }

    @Test
    void wildcardSubscriptionsAreCoveredOnlyByWideEnoughRules() {
        install(RULES);
        String anonymous = handshake(null);
        assertThat(h.subscribe(anonymous, "/chat/*").get("successful").asBoolean()).isTrue();
        assertThat(h.subscribe(anonymous, "/chat/**").get("successful").asBoolean()).isFalse();
    }

    @Test
    void invalidOrExpiredTokensAndMissingRequiredTokensDenyTheHandshake() {
        install(RULES.replace("\"rules\"", "\"requireToken\": true, \"rules\""));
        JsonNode denied = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        assertThat(denied.get("error").asText()).isEqualTo("403::Handshake denied");
        assertThat(denied.get("advice").get("reconnect").asText()).isEqualTo("none");
        assertThat(handshake("{\"token\":\"wrong\"}")).isNull();
        assertThat(handshake("{\"token\":\"" + new HmacTokens(SECRET).issue("alice", Set.of(), 50) + "\"}")).isNull();
        assertThat(handshake("{\"token\":\"shared-token\"}")).hasSize(31);
        assertThat(h.engine.sessionCount()).isEqualTo(1);
    }

    @Test
    void aPolicyMayAnswerADeniedHandshakeWithItsOwnError() {
        h.broker.securityPolicy(new io.bayeuxd.api.SecurityPolicy() {
            @Override
            public HandshakeDecision canHandshake(BayeuxMessage hs, io.bayeuxd.api.ExtensionContext ctx) {
                return HandshakeDecision.deny("401::Invalid token");
            }
        });
        JsonNode denied = h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}");
        assertThat(denied.get("successful").asBoolean()).isFalse();
        assertThat(denied.get("error").asText()).isEqualTo("401::Invalid token");
        assertThat(denied.get("advice").get("reconnect").asText()).isEqualTo("none");
        assertThat(h.broker.deniedOperations()).isEqualTo(1);
        assertThat(h.engine.sessionCount()).isZero();
    }

    @Test
    void badConfigurationIsRefusedWithAReason() {
        assertThatThrownBy(() -> RulesSecurityPolicy.parse("{", () -> 0)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RulesSecurityPolicy.parse("{\"rules\":[{\"channel\":\"bad\"}]}", () -> 0)).hasMessageContaining("bad");
        assertThatThrownBy(() -> RulesSecurityPolicy.parse("{\"rules\":[{\"channel\":\"/a\",\"publish\":[\"root\"]}]}", () -> 0))
                .hasMessageContaining("root");
        assertThatThrownBy(() -> RulesSecurityPolicy.parse("{\"default\":\"maybe\"}", () -> 0)).hasMessageContaining("default");
    }

    @Test
    void publishingWithoutHandshakeCanBeSwitchedOff() {
        try (BrokerHarness strict = new BrokerHarness(BrokerConfig.builder().requireHandshakeToPublish(true).build())) {
            assertThat(strict.sendOne("{\"channel\":\"/x\",\"data\":1}").get("error").asText()).isEqualTo("401::Unknown client");
            String id = strict.handshake();
            assertThat(strict.publish(id, "/x", "1").get("successful").asBoolean()).isTrue();
        }
    }

    @Test
    void credentialsInExtDoNotReachSubscribers() {
        h.broker.addExtension(new StripExtFields(StripExtFields.DEFAULT_FIELDS));
        String id = h.subscriber("/s");
        BrokerHarness.Collector c = h.collect(id);
        h.sendOne("{\"channel\":\"/s\",\"data\":1,\"ext\":{\"token\":\"t\",\"trace\":\"keep\"}}");
        h.sendOne("{\"channel\":\"/s\",\"data\":2,\"ext\":{\"authToken\":\"t\"}}");
        var got = c.drain();
        assertThat(got.get(0).get("ext").has("token")).isFalse();
        assertThat(got.get(0).get("ext").get("trace").asText()).isEqualTo("keep");
        assertThat(got.get(1).has("ext")).isFalse();
    }
}
