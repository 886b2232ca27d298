package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.storage.StoredChannel;
import io.bayeuxd.storage.StoredChannels;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.atomic.LongAdder;

/**
 * A message to a non-meta channel: validated as Faye does (a literal channel and {@code data}; no
 * handshake needed), passed once through the outgoing extensions, encoded once, and fanned out. A
 * channel that keeps history or records goes through its {@link StoredChannel}, which also numbers
 * and keeps it.
 */
final class PublishHandler {
    private final Engine engine;
    private final BayeuxEncoder encoder;
    private final ExtensionChain extensions;
    private final ByteBufAllocator alloc;
    private final AccessGate gate;
    private final Limits limits;
    private final StoredChannels storage;
    private final boolean requireHandshake;
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final ServerEvents events;

    PublishHandler(Engine engine, BayeuxEncoder encoder, ExtensionChain extensions, ByteBufAllocator alloc, AccessGate gate,
                   Limits limits, StoredChannels storage, boolean requireHandshake, ServerEvents events) {
        this.events = events;
        this.gate = gate;
        this.storage = storage;
        this.limits = limits;
        this.requireHandshake = requireHandshake;
        this.engine = engine;
        this.encoder = encoder;
        this.extensions = extensions;
        this.alloc = alloc;
    }

    /** @param nowNanos when the request was taken up; queued copies carry it for the delivery latency */
    Message handle(Message request, RequestContext context, long nowNanos) {
        Message reply = admit(request);
        if (reply.error() != null) {
            return reply;
        }
        Session session = engine.session(request.clientId());
        String denied = session == null && requireHandshake ? null : gate.publish(session, request.channel(), request, context);
        return finish(request, reply, session, denied, context, nowNanos);
    }

    /**
     * The checks made before the policy is asked: a valid channel and {@code data}. Returns the reply,
     * failed when one of them fails.
     */
    Message admit(Message request) {
        Message reply = Replies.to(request);
        String channel = request.channel();
        if (!ChannelName.isValidName(channel) || !limits.channelFits(channel)) {
            Replies.fail(reply, BayeuxError.channelInvalid(channel));
        }
        if (request.data() == null) {
            Replies.fail(reply, BayeuxError.parameterMissing("data"));
        }
        return reply;
    }

    /**
     * Publishes once the policy answered (with {@code --require-handshake}, a publish without a session is
     * refused here, and the policy is not asked about it).
     *
     * @param denied the policy's error, or {@code null} when it allowed the publish
     */
    Message finish(Message request, Message reply, Session session, String denied, RequestContext context, long nowNanos) {
        if (session == null && requireHandshake) {
            return Replies.fail(reply, BayeuxError.clientUnknown(request.clientId()));
        }
        if (denied != null) {
            return Replies.fail(reply, denied);
        }
        String channel = request.channel();
        String limited = limits.publishError(session, channel, nowNanos);
        if (limited != null) {
            return Replies.fail(reply, limited);
        }
        Message outgoing = extensions.isEmpty() ? request : extensions.outgoing(request, context);
        if (outgoing == null) {
            return reply;
        }
        if (!storage.keepsNothing()) {
            String kept = storage.publish(outgoing, nowNanos / 1_000_000, new KeepingPublisher(outgoing.channel(), nowNanos));
            if (kept != StoredChannels.NOT_KEPT) {
                if (kept != null) {
                    return Replies.fail(reply, kept);
                }
                events.publish(session, outgoing.channel(), outgoing.data());
                return reply;
            }
        }
        ByteBuf payload = encoder.encodeDelivery(outgoing, alloc, nowNanos);
        try {
            fanOut(outgoing.channel(), payload);
        } finally {
            payload.release();
        }
        events.publish(session, outgoing.channel(), outgoing.data());
        return reply;
    }

    /** Step 5: BORROWS {@code payload}. */
    private void fanOut(String channel, ByteBuf payload) {
        // Policy: /service/** reaches only the server's own in-process clients, on this node.
        Engine.Audience audience = ChannelName.isService(channel) ? Engine.Audience.SERVER_SIDE : Engine.Audience.EVERYONE;
        delivered.add(engine.publish(channel, payload, audience));
        published.increment();
    }

    /** Encodes and fans out for a channel that keeps its messages or records, under that channel's lock. */
    private final class KeepingPublisher implements StoredChannel.Publisher {
        private final String channel;
        private final long nowNanos;

        KeepingPublisher(String channel, long nowNanos) {
            this.channel = channel;
            this.nowNanos = nowNanos;
        }

        @Override
        public ByteBuf encode(Message message) {
            return encoder.encodeDelivery(message, alloc, nowNanos);
        }

        @Override
        public void fanOut(ByteBuf encoded) {
            PublishHandler.this.fanOut(channel, encoded);
        }
    }

    long published() {
        return published.sum();
    }

    long queuedForDelivery() {
        return delivered.sum();
    }
}
