package io.bayeuxd.transport;

import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.server.ConnectionLimiter;
import io.bayeuxd.server.ProductionPipeline;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker behind the production pipeline on {@link EmbeddedChannel}s: each connection is set up by the
 * very initializer {@code BrokerServer} gives its socket ({@link ProductionPipeline}), with the connection
 * limiter (no caps, as by default), the idle closer, the meter, the HTTP codec, body aggregation, the
 * operations endpoints, the WebSocket upgrade and the polling endpoint. Plain text, no TLS.
 *
 * <p>Time is frozen on every channel; {@link #settle} moves it past the connect timeout so that a held
 * {@code /meta/connect} is answered. {@link #close} releases every channel and every queued message.
 */
final class EmbeddedBroker implements AutoCloseable {
    static final long TIMEOUT_MS = 1_000;
    /** As {@code BrokerMain}'s default: the connect timeout plus 30 seconds. */
    static final long IDLE_TIMEOUT_MS = TIMEOUT_MS + 30_000;

    /** The defaults, but a connect is held for one second, not sixty. */
    private static final BrokerConfig BROKER = BrokerConfig.builder().timeoutMs(TIMEOUT_MS).build();

    final TransportConfig config;
    final MemoryEngine engine = new MemoryEngine(BROKER.outboxCapacity());
    final Broker broker = new Broker(BROKER, engine, new BayeuxEncoder(), ByteBufAllocator.DEFAULT, System::nanoTime);
    private final Readiness readiness = new Readiness();
    private final BrokerMetrics metrics = new BrokerMetrics(broker, readiness);
    private final ChannelGroup group = new DefaultChannelGroup("embedded", ImmediateEventExecutor.INSTANCE);
    private final ChannelHandler initializer;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** The transport's defaults, with the idle timeout {@code BrokerMain} sets by default. */
    EmbeddedBroker() {
        this(TransportConfig.builder().idleTimeoutMs(IDLE_TIMEOUT_MS).build());
    }

    EmbeddedBroker(TransportConfig config) {
        this.config = config;
        this.initializer = ProductionPipeline.initializer(config, broker, new BayeuxDecoder(), metrics, readiness, group,
                new ConnectionLimiter(0, 0));
        readiness.serving();
    }

    /** A new connection with the production pipeline and a frozen clock. */
    EmbeddedChannel open() {
        // Registration runs the initializer and then channelActive, as for an accepted socket.
        EmbeddedChannel ch = new EmbeddedChannel(initializer);
        // Only a registered channel's clock can be frozen. The idle closer has read it already but keeps
        // the same clock, so from here on it sees only the time a test moves it by.
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    /**
     * Creates {@code n} sessions straight through the broker, each subscribed to {@code /fuzz/**}, for
     * generators that want client ids the broker knows.
     */
    List<String> sessions(int n) {
        List<String> ids = new ArrayList<>(n);
        HttpRequestContext context = new HttpRequestContext("long-polling", null, new DefaultHttpHeaders());
        for (int i = 0; i < n; i++) {
            BatchResult handshake = broker.process(List.of(new Message().channel("/meta/handshake").version("1.0")
                    .supportedConnectionTypes(List.of("long-polling"))), context);
            String id = handshake.replies().get(0).clientId();
            broker.process(List.of(new Message().channel("/meta/subscribe").clientId(id).subscription(List.of("/fuzz/**"), false)), context);
            ids.add(id);
        }
        return ids;
    }

    /** Writes {@code raw} in one buffer and runs what it scheduled for now. Exceptions that escape the pipeline are thrown. */
    static void send(EmbeddedChannel ch, byte[] raw) {
        send(ch, raw, raw.length);
    }

    /** Writes {@code raw} in pieces of at most {@code chunk} bytes, as TCP may deliver it. */
    static void send(EmbeddedChannel ch, byte[] raw, int chunk) {
        for (int at = 0; at < raw.length && ch.isOpen(); at += chunk) {
            int n = Math.min(chunk, raw.length - at);
            ch.writeInbound(Unpooled.wrappedBuffer(raw, at, n));
            ch.runPendingTasks();
        }
        ch.checkException();
    }

    static void send(EmbeddedChannel ch, String raw) {
        send(ch, raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves the channel's clock past the connect timeout and runs what falls due: held connects are answered. */
    static void settle(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ch.advanceTimeBy(TIMEOUT_MS + 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        ch.checkException();
    }

    /** A raw HTTP/1.1 request with a correct {@code Content-Length}. */
    static byte[] post(String path, String contentType, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return HostileInputs.concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    static byte[] postJson(byte[] body) {
        return post("/", "application/json", body);
    }

    static byte[] postJson(String body) {
        return postJson(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        channels.clear();
        engine.close();
        metrics.close();
    }
}
