package io.bayeuxd.transport.cluster;

import io.bayeuxd.broker.RequestContext;
import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.protocol.BayeuxDecodeException;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.protocol.MetaChannels;
import io.bayeuxd.session.ClientIdGenerator;
import io.bayeuxd.transport.http.HeaderCopy;
import io.bayeuxd.transport.http.HttpRequestContext;
import io.bayeuxd.transport.longpoll.HeldPoll;
import io.bayeuxd.transport.longpoll.HeldPoll;
import io.bayeuxd.transport.longpoll.PollForwarding;
import io.bayeuxd.transport.longpoll.PollReply;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Any node answers any polling request. A session lives on the node that answered its handshake, and
 * its client id starts with that node's token; a request for it that a load balancer sends elsewhere is
 * forwarded to that node over the cluster bus, processed there exactly as if it had arrived there (a
 * {@code /meta/connect} is held there, and its messages are taken from the session's outbox there), and
 * the answer comes back to be written on the client's connection. So a session has one writer, its
 * own node, and no state moves between nodes.
 *
 * <p>When the session's node is gone (nobody listens on its channel, or it does not answer within the
 * connect timeout and a margin), the request is processed on this node, which does not know the client:
 * the client is told {@code 401::Unknown client} with advice to handshake, and starts again here.
 */
public final class ClusterPolling implements PollForwarding {
    private static final Logger log = LoggerFactory.getLogger(ClusterPolling.class);

    private final ClusterBus bus;
    private final String self;
    private final PollingResponder responder;
    private final BayeuxDecoder decoder;
    private final EventExecutor[] loops;
    private final ByteBufAllocator alloc;
    private final long replyTimeoutMs;
    private final AtomicLong ids = new AtomicLong();
    /** Requests of this node's clients sent to other nodes, by id. */
    private final ConcurrentHashMap<Long, ForwardedPoll> waiting = new ConcurrentHashMap<>();
    /** Connects held here for clients of other nodes, by "from:id". */
    private final ConcurrentHashMap<String, HeldPoll> heldForOthers = new ConcurrentHashMap<>();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder lost = new LongAdder();

    /**
     * @param loops          where requests of other nodes are processed, each client on one of them
     * @param replyTimeoutMs how long a forwarded request waits before its node is taken for gone
     */
    public ClusterPolling(ClusterBus bus, PollingResponder responder, BayeuxDecoder decoder, EventExecutorGroup loops,
                          ByteBufAllocator alloc, long replyTimeoutMs) {
        this.bus = bus;
        this.self = bus.nodeToken();
        this.responder = responder;
        this.decoder = decoder;
        List<EventExecutor> all = new ArrayList<>();
        loops.forEach(all::add);
        this.loops = all.toArray(EventExecutor[]::new);
        this.alloc = alloc;
        this.replyTimeoutMs = replyTimeoutMs;
        bus.onNodeMessage(this::onNodeMessage);
    }

    @Override
    public HeldPoll forward(List<Message> messages, RequestContext context, PollReply reply, Supplier<byte[]> body, Runnable locally) {
        String clientId = sessionOf(messages);
        String home = ClientIdGenerator.nodeTokenOf(clientId);
        if (home == null || home.equals(self) || !(context instanceof HttpRequestContext http)) {
            return null;
        }
        long id = ids.incrementAndGet();
        ForwardedPoll poll = new ForwardedPoll(this, id, home, clientId, reply, locally);
        waiting.put(id, poll);
        byte[] request = NodeMessages.request(id, self, clientId, context.connectionType(), address(context.remoteAddress()),
                http.headerCopy().lines(), body.get());
        poll.start(replyTimeoutMs);
        forwarded.increment();
        bus.sendToNode(home, request).whenComplete((listened, error) -> {
            if (!Boolean.TRUE.equals(listened)) {
                poll.homeGone();
            }
        });
        return poll;
    }

    /** The client a batch is about, when it names one and holds no handshake (a handshake makes a session here). */
    private static String sessionOf(List<Message> messages) {
        String clientId = null;
        for (Message m : messages) {
            if (MetaChannels.HANDSHAKE.equals(m.channel())) {
                return null;
            }
            if (clientId == null) {
                clientId = m.clientId();
            }
        }
        return clientId;
    }

    void finished(ForwardedPoll poll) {
        waiting.remove(poll.id, poll);
    }

    void abandon(ForwardedPoll poll) {
        bus.sendToNode(poll.home, NodeMessages.abandon(poll.id, self, poll.clientId));
    }

    /** On the bus's thread: hand each message to the event loop of its client, which keeps a client's order. */
    private void onNodeMessage(byte[] message) {
        try {
            NodeMessages.Reader in = new NodeMessages.Reader(message);
            switch (in.type) {
                case NodeMessages.REQUEST -> {
                    String from = in.string();
                    String clientId = in.string();
                    String connectionType = in.string();
                    String remote = in.string();
                    String headers = in.string();
                    byte[] body = in.body();
                    loopOf(clientId).execute(() -> serve(in.id, from, clientId, connectionType, remote, headers, body));
                }
                case NodeMessages.REPLY -> {
                    ForwardedPoll poll = waiting.remove(in.id);
                    if (poll != null) {
                        poll.answer(in.body());
                    } else {
                        lost.increment();
                        log.debug("An answer from another node came after its request was given up");
                    }
                }
                case NodeMessages.ABANDON -> {
                    String from = in.string();
                    String clientId = in.string();
                    loopOf(clientId).execute(() -> {
                        HeldPoll held = heldForOthers.remove(from + ':' + in.id);
                        if (held != null) {
                            // The client's loop, where the request was served.
                            held.abandon();
                        }
                    });
                }
                default -> log.debug("Ignored a node message of unknown type {}", in.type);
            }
        } catch (RuntimeException e) {
            log.warn("Ignored a malformed message from another node: {}", e.toString());
        }
    }

    private EventExecutor loopOf(String clientId) {
        return loops[Math.floorMod(clientId.hashCode(), loops.length)];
    }

    /** On the client's event loop here: process a request another node forwarded, as if it came here. */
    private void serve(long id, String from, String clientId, String connectionType, String remote, String headers, byte[] body) {
        List<Message> messages;
        try {
            messages = decoder.decode(Unpooled.wrappedBuffer(body));
        } catch (BayeuxDecodeException e) {
            // The forwarding node decoded it already; a mismatch means different versions in one cluster.
            log.warn("A request forwarded by node {} did not decode here: {}", from, e.getMessage());
            return;
        }
        served.increment();
        String key = from + ':' + id;
        RemotePollReply reply = new RemotePollReply(this, id, from, key, loopOf(clientId), alloc);
        HttpRequestContext context = new HttpRequestContext(connectionType, parse(remote), HeaderCopy.ofLines(headers));
        HeldPoll held = responder.handle(messages, context, reply);
        if (held != null && !reply.isDone()) {
            heldForOthers.put(key, held);
        }
    }

    /** Sends a forwarded request's answer back to the node that forwarded it. */
    void answer(String from, long id, String key, byte[] json) {
        heldForOthers.remove(key);
        bus.sendToNode(from, NodeMessages.reply(id, json));
    }

    void forget(String key) {
        heldForOthers.remove(key);
    }

    /** Requests this node sent to the node of their session. */
    public long forwardedRequests() {
        return forwarded.sum();
    }

    /** Requests other nodes sent here for sessions of this node. */
    public long servedRequests() {
        return served.sum();
    }

    /** Answers that came back after their request had been given up (its messages are lost). */
    public long lateAnswers() {
        return lost.sum();
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a.getHostString() + '|' + a.getPort() : "";
    }

    private static SocketAddress parse(String address) {
        int bar = address.lastIndexOf('|');
        if (bar < 0) {
            return null;
        }
        try {
            // An IP literal, as the forwarding node saw it: no name lookup happens.
            return new InetSocketAddress(InetAddress.getByName(address.substring(0, bar)), Integer.parseInt(address.substring(bar + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
