package io.bayeuxd.server;

import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket keep-alive: the server pings idle sockets on its interval and answers the client's pings. */
class WebSocketPingTest {
    @Test
    void serverPingsIdleSocketsAndAnswersPings() throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportConfig.builder().pingIntervalMs(200).build()).build()).start();
             WsClient ws = new WsClient(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + server.port() + "/"))) {
            ws.pinged.get(10, TimeUnit.SECONDS);
            ws.socket.sendPing(ByteBuffer.wrap(new byte[] {7})).join();
            ws.ponged.get(10, TimeUnit.SECONDS);
            assertThat(ws.socket.isInputClosed()).isFalse();
        }
    }
}
