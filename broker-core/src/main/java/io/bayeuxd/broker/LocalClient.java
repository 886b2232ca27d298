package io.bayeuxd.broker;

import io.bayeuxd.channel.ChannelName;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.session.DeliveryTarget;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A client inside the server process: publishes through the same path as remote clients and receives
 * through its own session, so it is the way server code listens on {@code /service/**}. Listeners run on
 * the executor given at creation, one message at a time.
 */
public final class LocalClient implements DeliveryTarget, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalClient.class);
    /** The context of every in-process client's requests; the broker knows them by it. */
    static final RequestContext IN_PROCESS = new RequestContext() {
        @Override
        public String connectionType() {
            return "in-process";
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public String header(String name) {
            return null;
        }
    };

    private final Broker broker;
    private final Session session;
    private final EventExecutor executor;
    private final BayeuxDecoder decoder;
    private final Map<String, Consumer<Message>> listeners = new ConcurrentHashMap<>();

    LocalClient(Broker broker, Session session, EventExecutor executor, BayeuxDecoder decoder) {
        this.broker = broker;
        this.session = session;
        this.executor = executor;
        this.decoder = decoder;
        session.attach(this);
    }

    public String clientId() {
        return session.clientId();
    }

    /** Subscribes to a channel or pattern; returns the broker's reply. */
    public Message subscribe(String channel, Consumer<Message> listener) {
        listeners.put(channel, listener);
        Message reply = send(new Message().channel(MetaChannels.SUBSCRIBE).subscription(List.of(channel), false));
        if (!Boolean.TRUE.equals(reply.successful())) {
            listeners.remove(channel);
        }
        return reply;
    }

    public Message unsubscribe(String channel) {
        listeners.remove(channel);
        return send(new Message().channel(MetaChannels.UNSUBSCRIBE).subscription(List.of(channel), false));
    }

    /** Publishes {@code data} to {@code channel}; returns the broker's reply. */
    public Message publish(String channel, JsonValue data) {
        return send(new Message().channel(channel).data(data));
    }

    private Message send(Message message) {
        message.clientId(session.clientId());
        List<Message> replies = broker.process(List.of(message), IN_PROCESS).replies();
        return replies.isEmpty() ? new Message().successful(false) : replies.get(0);
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onMessages(Session s) {
        ByteBuf frame = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            frame.writeByte('[');
            int n = s.drainInto(frame, 1024, false);
            frame.writeByte(']');
            if (n == 0) {
                return;
            }
            for (Message message : decoder.decode(frame)) {
                dispatch(message);
            }
        } finally {
            frame.release();
        }
    }

    private void dispatch(Message message) {
        for (Map.Entry<String, Consumer<Message>> e : listeners.entrySet()) {
            if (ChannelName.matches(e.getKey(), message.channel())) {
                try {
                    e.getValue().accept(message);
                } catch (RuntimeException ex) {
                    log.warn("Listener on {} failed: {}", e.getKey(), ex.toString());
                }
            }
        }
    }

    @Override
    public void onSessionClosed(Session s) {
        listeners.clear();
    }

    @Override
    public void close() {
        broker.engine().destroySession(session);
    }
}
