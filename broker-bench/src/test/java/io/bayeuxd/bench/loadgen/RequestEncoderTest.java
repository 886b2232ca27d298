package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void handshakeOffersBothTransports() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 100);

        JsonNode m = single(write(out -> encoder.handshake(out, 1)));

        assertThat(m.get("channel").asText()).isEqualTo("/meta/handshake");
        assertThat(m.get("version").asText()).isEqualTo("1.0");
        assertThat(m.get("supportedConnectionTypes")).extracting(JsonNode::asText).containsExactly("websocket", "long-polling");
        assertThat(m.get("id").asText()).isEqualTo("1");
        assertThat(m.has("clientId")).isFalse();
    }

    @Test
    void connectNamesTheTransportAndTheClient() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.LONG_POLLING, 100);
        encoder.clientId("abc123");

        JsonNode m = single(write(out -> encoder.connect(out, 17)));

        assertThat(m.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(m.get("clientId").asText()).isEqualTo("abc123");
        assertThat(m.get("connectionType").asText()).isEqualTo("long-polling");
        assertThat(m.get("id").asText()).isEqualTo("17");
    }

    @Test
    void subscribeAndDisconnect() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 100);
        encoder.clientId("c");

        JsonNode subscribe = single(write(out -> encoder.subscribe(out, 2, 7)));
        JsonNode disconnect = single(write(out -> encoder.disconnect(out, 3)));

        assertThat(subscribe.get("channel").asText()).isEqualTo("/meta/subscribe");
        assertThat(subscribe.get("subscription").asText()).isEqualTo("/bench/7");
        assertThat(disconnect.get("channel").asText()).isEqualTo("/meta/disconnect");
        assertThat(disconnect.get("clientId").asText()).isEqualTo("c");
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 100, 1000, 4096})
    void publishDataHasExactlyTheRequestedSize(int size) throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, size);
        encoder.clientId("client-1");

        for (long ts : new long[] {0, 9, 123_456_789_012L}) {
            for (long seq : new long[] {0, 99_999}) {
                JsonNode m = single(write(out -> encoder.publish(out, 5, 3, ts, seq)));
                assertThat(m.get("channel").asText()).isEqualTo("/bench/3");
                assertThat(m.get("clientId").asText()).isEqualTo("client-1");
                assertThat(m.get("data").get("ts").asLong()).isEqualTo(ts);
                assertThat(m.get("data").get("seq").asLong()).isEqualTo(seq);
                assertThat(JSON.writeValueAsString(m.get("data"))).hasSize(size);
            }
        }
    }

    @Test
    void aSizeTooSmallForTheNumbersGetsNoPaddingAndStaysValid() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 0);
        encoder.clientId("c");

        JsonNode m = single(write(out -> encoder.publish(out, 1, 0, 123, 4)));

        assertThat(m.get("data").get("pad").asText()).isEmpty();
    }

    @Test
    void aNewClientIdReplacesTheOldOneInPublishes() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 64);
        encoder.clientId("first");
        write(out -> encoder.publish(out, 1, 2, 1, 1));
        encoder.clientId("second");

        JsonNode m = single(write(out -> encoder.publish(out, 2, 2, 1, 1)));

        assertThat(m.get("clientId").asText()).isEqualTo("second");
    }

    @Test
    void escapesAClientIdThatNeedsIt() throws Exception {
        RequestEncoder encoder = new RequestEncoder(TransportKind.WEBSOCKET, 64);
        encoder.clientId("a\"b\\c\u0001é");

        JsonNode m = single(write(out -> encoder.connect(out, 1)));

        assertThat(m.get("clientId").asText()).isEqualTo("a\"b\\c\u0001é");
    }

    @Test
    void writesDecimalsOfEveryLength() {
        for (long v : new long[] {0, 7, 10, 99, 100, 123_456_789, Long.MAX_VALUE}) {
            String written = write(out -> RequestEncoder.writeDecimal(out, v));
            assertThat(written).isEqualTo(Long.toString(v));
            assertThat(RequestEncoder.decimalLength(v)).isEqualTo(written.length());
        }
        assertThatThrownBy(() -> write(out -> RequestEncoder.writeDecimal(out, -1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode single(String json) throws Exception {
        JsonNode array = JSON.readTree(json);
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    private static String write(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }
}
