package io.bayeuxd.engine.redis;

import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** Two broker nodes' engines, each with its own {@link RedisBus} on the same Redis, for bus tests. */
final class TwoNodes implements AutoCloseable {
    final RedisBus busA;
    final RedisBus busB;
    final MemoryEngine nodeA;
    final MemoryEngine nodeB;

    TwoNodes(String redisUrl) {
        busA = new RedisBus(redisUrl, "test:", 10_000);
        busB = new RedisBus(redisUrl, "test:", 10_000);
        nodeA = new MemoryEngine(4096, busA);
        nodeB = new MemoryEngine(4096, busB);
    }

    /** Publishes {@code {"channel": channel, "data": n}} on {@code node}; returns how many local sessions queued it. */
    static int publish(MemoryEngine node, String channel, int n) {
        ByteBuf payload = delivery(channel, n);
        try {
            return node.publish(channel, payload);
        } finally {
            payload.release();
        }
    }

    static ByteBuf delivery(String channel, int n) {
        return Unpooled.copiedBuffer("{\"channel\":\"" + channel + "\",\"data\":" + n + "}", StandardCharsets.UTF_8);
    }

    /** Takes every message queued for {@code session}, as the comma-separated JSON a frame would carry. */
    static String drain(Session session) {
        ByteBuf out = Unpooled.buffer();
        try {
            session.drainInto(out, Integer.MAX_VALUE, false);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Override
    public void close() {
        nodeA.close();
        nodeB.close();
    }
}
