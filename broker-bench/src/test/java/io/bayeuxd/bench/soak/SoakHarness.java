package io.bayeuxd.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.bench.loadgen.Link;
import io.bayeuxd.bench.loadgen.LinkListener;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives soak clients without threads or sockets: an embedded event loop whose time is frozen and
 * moved by hand together with a fake clock, and fake links that record what is sent.
 */
final class SoakHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final EmbeddedChannel channel = new EmbeddedChannel();
    final ClientLoop loop = new ClientLoop(channel.eventLoop());
    final List<FakeLink> links = new ArrayList<>();
    final SoakStats stats = new SoakStats();
    final SoakConfig config;
    final DeliveryLedger ledger;
    final SoakContext soak;
    long nowNs = 1_000_000_000L;

    SoakHarness(SoakConfig config) {
        this.config = config;
        channel.freezeTime();
        ledger = new DeliveryLedger(config.clients() + config.busyWatchers(), config.channels() + 1);
        soak = new SoakContext(config, stats, ledger, (transport, l, listener) -> {
            FakeLink link = new FakeLink(transport, listener);
            links.add(link);
            return link;
        }, () -> nowNs);
    }

    static SoakConfig.Builder config() {
        return SoakConfig.builder().url("http://127.0.0.1:8000/").clients(4).channels(2).publishers(1)
                .ratePerSec(100).busyWatchers(0).busyRatePerSec(0).slowConsumers(0).durationMs(60_000)
                .brokerTimeoutMs(10_000).churnLifetimeMs(3_000).churnReceiveTarget(2);
    }

    /** Moves both clocks forward and runs whatever became due on the loop. */
    void advanceMs(long ms) {
        nowNs += TimeUnit.MILLISECONDS.toNanos(ms);
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        runTasks();
    }

    void runTasks() {
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    FakeLink link(int index) {
        return links.get(index);
    }

    FakeLink lastLink() {
        return links.get(links.size() - 1);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** A link that comes up when the test says so and keeps every message flushed, decoded. */
    static final class FakeLink implements Link {
        final TransportKind transport;
        final LinkListener listener;
        final List<JsonNode> sent = new ArrayList<>();
        private final List<JsonNode> unflushed = new ArrayList<>();
        boolean up;
        boolean writable = true;
        boolean closed;

        FakeLink(TransportKind transport, LinkListener listener) {
            this.transport = transport;
            this.listener = listener;
        }

        void comeUp() {
            up = true;
            listener.onLinkUp(this);
        }

        void receive(String json) {
            ByteBuf frame = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
            try {
                listener.onFrame(this, frame);
            } finally {
                frame.release();
            }
        }

        void dropByServer() {
            up = false;
            closed = true;
            listener.onLinkDown(this, "reset by peer");
        }

        List<JsonNode> sentOn(String channelName) {
            List<JsonNode> matching = new ArrayList<>();
            for (JsonNode m : sent) {
                if (m.get("channel").asText().equals(channelName)) {
                    matching.add(m);
                }
            }
            return matching;
        }

        JsonNode last() {
            return sent.get(sent.size() - 1);
        }

        String lastChannel() {
            return last().get("channel").asText();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public boolean send(ByteBuf frame) {
            try {
                if (!up) {
                    return false;
                }
                for (JsonNode m : JSON.readTree(frame.toString(StandardCharsets.UTF_8))) {
                    unflushed.add(m);
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                frame.release();
            }
        }

        @Override
        public void flush() {
            sent.addAll(unflushed);
            unflushed.clear();
        }

        @Override
        public boolean isUp() {
            return up;
        }

        @Override
        public boolean isWritable() {
            return up && writable;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                up = false;
                listener.onLinkDown(this, "closed");
            }
        }
    }
}
