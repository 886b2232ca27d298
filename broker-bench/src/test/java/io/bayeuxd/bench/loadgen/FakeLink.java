package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A link that comes up when the test says so and keeps every message flushed, decoded. */
public final class FakeLink implements Link {

    public static final ObjectMapper JSON = new ObjectMapper();

    public final TransportKind transport;
    public final LinkListener listener;
    public final List<JsonNode> sent = new ArrayList<>();
    public int flushes;
    public boolean up;
    public boolean writable = true;
    public boolean closed;
    /** Messages sent but not flushed yet. */
    private final List<JsonNode> unflushed = new ArrayList<>();

    FakeLink(TransportKind transport, LinkListener listener) {
        this.transport = transport;
        this.listener = listener;
    }

    public void comeUp() {
        up = true;
        listener.onLinkUp(this);
    }

    /** Delivers a server frame to the listener. */
    public void receive(String json) {
        ByteBuf frame = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            listener.onFrame(this, frame);
        } finally {
            frame.release();
        }
    }

    public void dropByServer() {
        up = false;
        closed = true;
        listener.onLinkDown(this, "reset by peer");
    }

    /** Flushed messages on the given channel. */
    public List<JsonNode> sentOn(String channelName) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode m : sent) {
            if (m.get("channel").asText().equals(channelName)) {
                matching.add(m);
            }
        }
        return matching;
    }

    public JsonNode last() {
        return sent.get(sent.size() - 1);
    }

    public String lastChannel() {
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
