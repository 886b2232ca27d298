package io.bayeuxd.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameEncoding;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;

import java.util.ArrayList;
import java.util.List;

/**
 * Upgraded WebSocket handlers, each on an {@link EmbeddedChannel} with frozen time, around one broker
 * with the in-memory engine: what the handler's tests drive with frames. Closing releases every channel
 * and the engine.
 */
final class EmbeddedWebSockets implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final MemoryEngine engine = new MemoryEngine(1024);
    final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(5_000).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** A new upgraded socket. */
    EmbeddedChannel socket() {
        return socket(null);
    }

    /** A new upgraded socket that writes its pushes in {@code compressedPush} (null: plain). */
    EmbeddedChannel socket(FrameEncoding compressedPush) {
        BayeuxWebSocketHandler handler = new BayeuxWebSocketHandler(broker, new BayeuxDecoder(), new FrameWriter(new BayeuxEncoder(), 100));
        handler.upgraded(new WebSocketServerHandshaker13("ws://localhost/", null, WebSocketDecoderConfig.newBuilder().build()),
                new HttpRequestContext("websocket", null, new DefaultHttpHeaders()), compressedPush);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    /** Sends {@code json} as a text frame, runs what it scheduled, and returns every message written back. */
    static List<JsonNode> send(EmbeddedChannel ch, String json) throws Exception {
        ch.writeInbound(new TextWebSocketFrame(json));
        ch.runPendingTasks();
        return read(ch);
    }

    /** Every message of the frames written so far, each frame released. */
    static List<JsonNode> read(EmbeddedChannel ch) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Object frame;
        while ((frame = ch.readOutbound()) != null) {
            TextWebSocketFrame text = (TextWebSocketFrame) frame;
            try {
                JSON.readTree(text.text()).forEach(out::add);
            } finally {
                text.release();
            }
        }
        return out;
    }

    @Override
    public void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        engine.close();
    }
}
