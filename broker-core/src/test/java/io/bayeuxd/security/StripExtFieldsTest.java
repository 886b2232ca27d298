package io.bayeuxd.security;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which messages {@link StripExtFields} strips: every message with data except those on meta channels,
 * meta as Faye defines it ({@code ChannelName.isMeta}): {@code /meta} and below, not {@code /metadata}.
 */
class StripExtFieldsTest {
    private final StripExtFields strip = new StripExtFields(Set.of("token"));

    @ParameterizedTest
    @ValueSource(strings = {"/chat", "/metadata", "/metadata/x", "/metal", "/a/meta", "/service/x"})
    void credentialsLeaveMessagesOutsideMeta(String channel) {
        BayeuxMessage out = strip.outgoing(withToken(channel), null);
        assertThat(out.ext().tree().has("token")).isFalse();
        assertThat(out.ext().tree().get("trace").asText()).isEqualTo("keep");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/meta", "/meta/x", "/meta/handshake"})
    void metaMessagesAreLeftAlone(String channel) {
        BayeuxMessage out = strip.outgoing(withToken(channel), null);
        assertThat(out.ext().tree().get("token").asText()).isEqualTo("t");
    }

    private static Message withToken(String channel) {
        return new Message().channel(channel).data(JsonValue.parse("1"))
                .ext(JsonValue.parse("{\"token\":\"t\",\"trace\":\"keep\"}"));
    }
}
