package io.bayeuxd.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckExtTest {
    @Test
    void aHandshakeAsksWithAckTrueOnly() {
        assertThat(AckExt.requested(JsonValue.parse("{\"ack\":true}"))).isTrue();
        assertThat(AckExt.requested(JsonValue.parse("{\"auth\":{\"ack\":false},\"ack\":true}"))).isTrue();
        assertThat(AckExt.requested(JsonValue.parse("{\"ack\":false}"))).isFalse();
        assertThat(AckExt.requested(JsonValue.parse("{\"ack\":\"true\"}"))).isFalse();
        assertThat(AckExt.requested(JsonValue.parse("{\"nested\":{\"ack\":true}}"))).isFalse();
        assertThat(AckExt.requested(JsonValue.parse("[true]"))).isFalse();
        assertThat(AckExt.requested(null)).isFalse();
    }

    @Test
    void aConnectAcknowledgesANonNegativeInteger() {
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{\"ack\":7}"))).isEqualTo(7);
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{\"x\":[1,{\"ack\":2}],\"ack\":0}"))).isZero();
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{\"ack\":1.5}"))).isEqualTo(AckExt.NONE);
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{\"ack\":-3}"))).isEqualTo(AckExt.NONE);
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{\"ack\":123456789012345678901234}"))).isEqualTo(AckExt.NONE);
        assertThat(AckExt.acknowledgedBatch(JsonValue.parse("{}"))).isEqualTo(AckExt.NONE);
        assertThat(AckExt.acknowledgedBatch(null)).isEqualTo(AckExt.NONE);
    }

    @Test
    void theReplyFieldGoesFirstAndKeepsTheOtherFields() {
        assertThat(AckExt.withBatch(null, 3)).hasToString("{\"ack\":3}");
        assertThat(AckExt.withBatch(JsonValue.parse("{}"), 3)).hasToString("{\"ack\":3}");
        assertThat(AckExt.withBatch(JsonValue.ofTrustedBytes("{ }".getBytes()), 3)).hasToString("{\"ack\":3}");
        assertThat(AckExt.withBatch(JsonValue.parse("{\"a\":1}"), 12)).hasToString("{\"ack\":12,\"a\":1}");
        assertThat(AckExt.withEnabled(null)).hasToString("{\"ack\":true}");
        assertThat(AckExt.withEnabled(JsonValue.parse("{\"a\":[1]}"))).hasToString("{\"ack\":true,\"a\":[1]}");
        assertThat(AckExt.withBatch(JsonValue.parse("{\"a\":1}"), 12).tree().get("a").asInt()).isEqualTo(1);
    }
}
