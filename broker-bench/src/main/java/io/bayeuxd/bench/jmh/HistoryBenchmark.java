package io.bayeuxd.bench.jmh;

import io.bayeuxd.broker.BatchResult;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.broker.RequestContext;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.storage.StorageRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What channel history costs: a publish through the broker (extensions, encode, fan-out, and with
 * history the position stamped into {@code ext} and the message kept), with and without
 * {@code --history-channels} on its channel; and a recovery, a subscribe handed the last 100 messages.
 *
 * <p>{@code publish}: one op is one decoded publication through {@link Broker#process} to
 * {@code subscribers} sessions, each drained into a reused buffer. {@code recover100}: one op is a new
 * session subscribing with {@code ext.recover} 100 positions back, draining them, and going away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HistoryBenchmark {
    @Param({"1", "100"})
    int subscribers;

    /** History on the channel: the last 1,000 messages kept. */
    @Param({"false", "true"})
    boolean history;

    /** The server's allocator; a test swaps in one that records every buffer. */
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    MemoryEngine engine;
    Broker broker;
    Session[] sessions;
    ByteBuf frame;
    private JsonValue data;
    private String epoch;
    private long position;
    private final RequestContext context = new RequestContext() {
        @Override
        public String connectionType() {
            return "websocket";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 4000);
        }

        @Override
        public String header(String name) {
            return null;
        }
    };

    @Setup
    public void setUp() {
        BrokerConfig config = BrokerConfig.builder()
                .storage(StorageRules.of(history ? List.of(SampleMessages.CHANNEL + "=1000") : List.of(), List.of(),
                        10_000, 1 << 24, 10_000))
                .build();
        engine = new MemoryEngine(config.outboxCapacity());
        broker = new Broker(config, engine, new BayeuxEncoder(), alloc, System::nanoTime);
        sessions = new Session[subscribers];
        for (int i = 0; i < subscribers; i++) {
            sessions[i] = engine.createSession(false, 0L);
            engine.subscribe(sessions[i], SampleMessages.CHANNEL);
        }
        data = SampleMessages.publication().data();
        frame = alloc.buffer(1024);
        for (int i = 0; i < 1_000; i++) {
            publish();
        }
        position = 0;
        if (history) {
            Message probe = new Message().channel("/meta/subscribe").clientId(engine.createSession(false, 0L).clientId())
                    .subscription(List.of(SampleMessages.CHANNEL), false);
            Message reply = broker.process(List.of(probe), context).replies().get(0);
            epoch = reply.ext().tree().get("epoch").asText();
            position = reply.ext().tree().get("position").asLong();
        }
    }

    @TearDown
    public void tearDown() {
        for (Session session : engine.sessions()) {
            session.close();
        }
        broker.close();
        frame.release();
    }

    /** One publication to every subscriber, each drained. */
    @Benchmark
    public int publish() {
        BatchResult r = broker.process(List.of(new Message().channel(SampleMessages.CHANNEL).data(data)), context);
        position++;   // the channel's latest position, with history
        int delivered = 0;
        for (Session session : sessions) {
            delivered += session.drainInto(frame, 512, false);
            frame.clear();
        }
        return delivered + r.replies().size();
    }

    /** A new session recovers the last 100 messages and drains them (history only). */
    @Benchmark
    public int recover100() {
        if (!history) {
            return 0;
        }
        Session session = engine.createSession(false, 0L);
        Message subscribe = new Message().channel("/meta/subscribe").clientId(session.clientId())
                .subscription(List.of(SampleMessages.CHANNEL), false)
                .ext(JsonValue.parse("{\"recover\":{\"position\":" + (position - 100) + ",\"epoch\":\"" + epoch + "\"}}"));
        broker.process(List.of(subscribe), context);
        int n = session.drainInto(frame, 512, false);
        frame.clear();
        engine.destroySession(session);
        return n;
    }
}
