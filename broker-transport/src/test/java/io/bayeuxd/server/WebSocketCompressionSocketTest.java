package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code permessage-deflate} over a real socket with Netty's client compression handler: negotiated with a
 * client that offers it (with {@code server_no_context_takeover} in the answer), every server frame then
 * compressed (RSV1) and inflating to the right Bayeux messages, the client's own compressed frames read;
 * nothing negotiated with {@code --websocket-compression false} or with a client that offers nothing.
 */
class WebSocketCompressionSocketTest {
    private static final String RECORD = "{\"operation\":\"update\",\"data\":{\"id\":7,\"title\":\"Rear window\","
            + "\"year\":1954,\"votes\":\"158,201\",\"rating\":\"8.5\",\"rank\":\"48\"}}";

    @Test
    void aClientThatOffersDeflateGetsCompressedFramesThatDecodeToItsMessages() throws Exception {
        try (BrokerServer server = server(true).start();
             NettyWsClient ws = new NettyWsClient(uri(server), true)) {
            assertThat(ws.acceptedExtensions).startsWith("permessage-deflate").contains("server_no_context_takeover");
            String clientId = ws.join("/data");
            ws.send("[{\"channel\":\"/data\",\"clientId\":\"" + clientId + "\",\"data\":" + RECORD + ",\"id\":\"p1\"}]");

            JsonNode delivery = ws.nextDelivery("/data");
            assertThat(delivery.path("data").toString()).isEqualTo(RECORD);
            assertThat(delivery.path("id").asText()).isEqualTo("p1");
            assertThat(ws.framesReceived.get()).isPositive();
            assertThat(ws.compressedFramesReceived.get()).isEqualTo(ws.framesReceived.get());
        }
    }

    @Test
    void withTheFlagOffNoExtensionIsNegotiatedAndFramesAreSentPlain() throws Exception {
        try (BrokerServer server = server(false).start();
             NettyWsClient ws = new NettyWsClient(uri(server), true)) {
            assertThat(ws.acceptedExtensions).isNull();
            String clientId = ws.join("/data");
            ws.send("[{\"channel\":\"/data\",\"clientId\":\"" + clientId + "\",\"data\":" + RECORD + "}]");

            assertThat(ws.nextDelivery("/data").path("data").toString()).isEqualTo(RECORD);
            assertThat(ws.framesReceived.get()).isPositive();
            assertThat(ws.compressedFramesReceived.get()).isZero();
        }
    }

    @Test
    void aClientThatOffersNothingGetsPlainFrames() throws Exception {
        try (BrokerServer server = server(true).start();
             NettyWsClient ws = new NettyWsClient(uri(server), false)) {
            assertThat(ws.acceptedExtensions).isNull();
            ws.join("/data");
            assertThat(ws.compressedFramesReceived.get()).isZero();
        }
    }

    @Test
    void aCompressedFrameThatInflatesPastTheMessageLimitClosesWith1009() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportConfig.builder().maxMessageBytes(64 * 1024).build()).build()).start();
             NettyWsClient ws = new NettyWsClient(uri(server), true)) {
            ws.join("/data");
            // 1 MB of the same byte inflates from about a kilobyte: small on the wire, 16 times the limit.
            ws.send("[{\"channel\":\"/data\",\"data\":\"" + " ".repeat(1 << 20) + "\"}]");
            assertThat(ws.closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    private static BrokerServer server(boolean compression) {
        return new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportConfig.builder().websocketCompression(compression).build()).build());
    }

    private static URI uri(BrokerServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }
}
