package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.HdrHistogram.Histogram;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives sessions without threads or sockets: an embedded event loop whose time is frozen and
 * moved by hand together with a fake {@link NanoClock}, and fake links that record what is sent.
 */
final class SessionHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final FakeClock clock = new FakeClock();
    final EmbeddedChannel channel = new EmbeddedChannel();
    final EventLoop loop = channel.eventLoop();
    final List<FakeLink> links = new ArrayList<>();
    final RunStats stats;
    final RunTimeline timeline;
    final RunContext run;
    final LoopContext loopContext;

    SessionHarness(LoadConfig config) {
        channel.freezeTime();
        clock.nowNs = 1_000_000_000L;
        stats = new RunStats(config.channels());
        timeline = new RunTimeline(clock.nowNs);
        loopContext = new LoopContext(loop);
        run = new RunContext(config, stats, timeline, clock, (loop, listener, cookies) -> {
            FakeLink link = new FakeLink(listener);
            links.add(link);
            return link;
        });
    }

    static LoadConfig.Builder config() {
        return LoadConfig.builder().url("http://127.0.0.1:8000/").clients(4).channels(2).publishers(1)
                .ratePerSec(100).window(100).payloadBytes(64).durationMs(10_000).warmupMs(1_000);
    }

    /** Moves both clocks forward and runs whatever became due on the loop. */
    void advanceMs(long ms) {
        clock.nowNs += TimeUnit.MILLISECONDS.toNanos(ms);
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

    Histogram latencies() {
        Histogram h = LoopContext.newHistogram();
        loopContext.harvest(h);
        return h;
    }

    @Override
    public void close() {
        for (FakeLink link : links) {
            link.sent.clear();
        }
        channel.finishAndReleaseAll();
    }

    static final class FakeClock implements NanoClock {
        long nowNs;

        @Override
        public long nanoTime() {
            return nowNs;
        }
    }

    /** A link that is up when the test says so and keeps every message sent, decoded. */
    static final class FakeLink implements Link {
        final LinkListener listener;
        final List<JsonNode> sent = new ArrayList<>();
        int flushes;
        boolean up;
        boolean writable = true;
        boolean closed;
        /** Messages sent but not flushed yet. */
        private final List<JsonNode> unflushed = new ArrayList<>();

        FakeLink(LinkListener listener) {
            this.listener = listener;
        }

        void comeUp() {
            up = true;
            listener.onLinkUp(this);
        }

        /** Delivers a server frame to the session. */
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
            listener.onLinkDown(this, "reset by peer");
        }

        /** Flushed messages on the given channel. */
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
            flushes++;
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
