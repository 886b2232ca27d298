package io.bayeuxd.broker;

import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.AsyncSecurityPolicy;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.ExpiringPrincipal;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.Presence;
import io.bayeuxd.api.SecurityPolicy;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.fanout.Fanout;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.bayeuxd.storage.StoredChannels;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The Bayeux protocol engine: takes the decoded messages of one request, runs each through the incoming
 * extensions and its handler ({@link RequestWalk}), and returns the replies (step 2 of the message path:
 * the session validates). Transports own the bytes and the connections; the {@link Engine} owns state.
 *
 * <p>Runs on the calling event loop and never blocks.
 */
public final class Broker {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final Engine engine;
    private final LongSupplier nanoClock;
    private final ExtensionChain extensions = new ExtensionChain();
    private final AsyncExtensionChain asyncExtensions = new AsyncExtensionChain();
    private final ChannelHandlers handlers;
    private final RequestWalk walk;
    private final LongAdder expired = new LongAdder();
    private final LongAdder credentialsExpired = new LongAdder();
    /** What credentials' expiry instants are compared with. */
    private final Clock wallClock = Clock.systemUTC();
    private final AccessGate gate = new AccessGate();
    private final Limits limits;
    private final ErrorCounts errors = new ErrorCounts();
    /** The {@code disconnect} slow-consumer policy, or {@code null} with {@code drop-newest}. */
    private final SlowConsumerEviction slowConsumers;
    /** The channels that keep history or Webix records. */
    private final StoredChannels storage;
    private final ServerEvents events = new ServerEvents(ServerEvents.QUEUE_CAPACITY);

    public Broker(BrokerConfig config, Engine engine, BayeuxEncoder encoder, ByteBufAllocator alloc, LongSupplier nanoClock) {
        this.config = config;
        this.engine = engine;
        this.nanoClock = nanoClock;
        this.limits = new Limits(config);
        this.storage = new StoredChannels(config.storage(), message -> encoder.encodeDelivery(message, alloc),
                () -> TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong()), engine.bus(),
                (channel, payload) -> engine.publish(channel, payload, Engine.Audience.THIS_NODE));
        this.slowConsumers = config.slowConsumerPolicy() == BrokerConfig.SlowConsumerPolicy.DISCONNECT
                ? new SlowConsumerEviction() : null;
        engine.onSlowConsumer(slowConsumers == null ? Fanout.SlowConsumers.IGNORE : slowConsumers);
        int replayLimit = Math.max(config.outboxCapacity(), config.storage().maxRecordsPerChannel());
        HandshakeHandler handshake = new HandshakeHandler(engine, gate, limits, config.connectionTypes(), events);
        SubscriptionHandler subscribe = new SubscriptionHandler(engine, gate, limits, true, storage, replayLimit, events);
        PublishHandler publish = new PublishHandler(engine, encoder, extensions, alloc, gate, limits, storage,
                config.requireHandshakeToPublish(), events);
        this.handlers = new ChannelHandlers(handshake, new ConnectHandler(engine, config, events), subscribe,
                new SubscriptionHandler(engine, gate, limits, false, storage, replayLimit, events),
                new DisconnectHandler(engine, events), publish);
        this.walk = new RequestWalk(config, extensions, asyncExtensions, new ListeningWait(engine, limits), gate,
                new AsyncDecisions(engine, gate, handshake, subscribe, publish, config.requireHandshakeToPublish()),
                handlers, errors, nanoClock);
        if (!config.presenceChannels().isEmpty()) {
            // Published from the events thread through an in-process client that subscribes to nothing:
            // its executor and decoder are never used.
            Session publisher = engine.createSession(true, nanoClock.getAsLong());
            events.add(new JoinLeaveEvents(config.presenceChannels(),
                    new LocalClient(this, publisher, GlobalEventExecutor.INSTANCE, new BayeuxDecoder())));
        }
    }

    public BrokerConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    public void addExtension(Extension extension) {
        extensions.add(extension);
    }

    public void removeExtension(Extension extension) {
        extensions.remove(extension);
    }

    /**
     * Registers an extension whose incoming step may answer later; see {@link AsyncExtension}. Its
     * incoming step runs after every synchronous one, its outgoing step in registration order with them.
     */
    public void addExtension(AsyncExtension extension) {
        asyncExtensions.add(extension);
        extensions.addOutgoing(extension);
    }

    public void removeExtension(AsyncExtension extension) {
        asyncExtensions.remove(extension);
        extensions.removeOutgoing(extension);
    }

    /** Installs the policy deciding who may handshake, subscribe and publish; {@code null} allows all. */
    public void securityPolicy(SecurityPolicy policy) {
        gate.policy(policy);
    }

    /**
     * Installs a policy that may answer later, instead of the synchronous one; {@code null} allows all.
     * See {@link AsyncSecurityPolicy} for the answers a client gets.
     */
    public void asyncSecurityPolicy(AsyncSecurityPolicy policy) {
        if (policy == null) {
            gate.policy((SecurityPolicy) null);
        } else {
            gate.policy(policy);
        }
    }

    /**
     * Registers a listener of server events (handshake, connect, subscribe, unsubscribe, publish,
     * disconnect). Listeners run on one thread of the broker's, never on an event loop; see
     * {@link ServerListener}.
     */
    public void addListener(ServerListener listener) {
        events.add(listener);
    }

    public void removeListener(ServerListener listener) {
        events.remove(listener);
    }

    /** Server events dropped because the listeners' queue was full. */
    public long droppedEvents() {
        return events.dropped();
    }

    /** Listener calls that threw. */
    public long listenerFailures() {
        return events.failures();
    }

    /**
     * Ends a session as the server does (its subscriptions go, what was queued for it is dropped, a
     * connect it holds is answered {@code advice: {reconnect: "handshake"}}) and tells the listeners why.
     *
     * @return false when it had ended already
     */
    public boolean endSession(Session session, DisconnectReason reason) {
        if (!engine.destroySession(session)) {
            return false;
        }
        events.ended(session, reason);
        return true;
    }

    /**
     * Ends every remote session of {@code user} ({@link io.bayeuxd.api.ServerSession#user()}), as
     * {@link #endSession} does; returns their client ids.
     */
    public List<String> endSessionsOf(String user, DisconnectReason reason) {
        List<String> ended = new ArrayList<>();
        for (Session session : engine.sessions()) {
            if (!session.isLocal() && user.equals(session.user()) && endSession(session, reason)) {
                ended.add(session.clientId());
            }
        }
        return ended;
    }

    /**
     * The remote clients of this node subscribed to {@code channel}, a name or a pattern taken as it is
     * ({@code /chat/*} lists the subscribers of that pattern, not of the channels it matches), oldest
     * subscription first. Walks every session: for operators and backends, never on a message's path.
     */
    public List<Presence> presence(String channel) {
        List<Presence> present = new ArrayList<>();
        for (Session session : engine.sessions()) {
            long since = session.isLocal() ? -1 : session.subscribedSince(channel);
            if (since >= 0 && !session.isClosed()) {
                present.add(new Presence(session.clientId(), session.user(), Instant.ofEpochMilli(since)));
            }
        }
        present.sort(Comparator.comparing(Presence::since).thenComparing(Presence::clientId));
        return present;
    }

    /**
     * Unsubscribes a session from a channel or pattern on the server's behalf, telling the listeners.
     *
     * @return false when it was not subscribed
     */
    public boolean unsubscribe(Session session, String channel) {
        if (!engine.unsubscribe(session, channel)) {
            return false;
        }
        events.unsubscribe(session, channel);
        return true;
    }

    /**
     * Tells the listeners that every remote session still here ends with {@link DisconnectReason#DRAIN}:
     * for a server about to close its engine, which ends them all at once.
     */
    public void announceShutdown() {
        if (events.isEmpty()) {
            return;
        }
        for (Session session : engine.sessions()) {
            if (!session.isLocal() && !session.isClosed()) {
                events.ended(session, DisconnectReason.DRAIN);
            }
        }
    }

    /** Handshakes, subscribes and publishes the security policy denied. */
    public long deniedOperations() {
        return gate.denied();
    }

    /** Asynchronous decisions that timed out or failed, answered as denials (counted there too). */
    public long undecidedOperations() {
        return gate.undecided();
    }

    /**
     * Handles one request's messages and returns what to answer, for callers off any event loop (an
     * asynchronous extension's or policy's answers then resume on Netty's global executor).
     */
    public BatchResult process(List<Message> messages, RequestContext context) {
        return process(messages, context, null);
    }

    /**
     * Handles one request's messages and returns what to answer. With an {@link AsyncExtension} or an
     * {@link AsyncSecurityPolicy} a message may wait for its answer: the rest of the request is then handled on {@code loop} once it
     * comes, and the result is {@linkplain BatchResult#isDecided() undecided} until then.
     *
     * @param loop the request's event loop, where its processing resumes ({@code null}: Netty's global executor)
     */
    public BatchResult process(List<Message> messages, RequestContext context, EventExecutor loop) {
        return walk.process(messages, context, loop);
    }

    /**
     * Ends the sessions the slow-consumer policy marked since the last sweep, then expires every remote
     * session that sent no connect for twice the timeout, and ends those whose credentials expired
     * ({@link ExpiringPrincipal}). Call periodically; returns how many were expired for silence.
     */
    public int sweep() {
        if (slowConsumers != null) {
            slowConsumers.evict(session -> endSession(session, DisconnectReason.SLOW_CONSUMER));
        }
        long now = nanoClock.getAsLong();
        long limit = TimeUnit.MILLISECONDS.toNanos(2 * config.timeoutMs());
        Instant wallNow = wallClock.instant();
        int n = 0;
        for (Session session : engine.sessions()) {
            if (session.isLocal()) {
                continue;
            }
            if (now - session.lastActiveNanos() > limit && endSession(session, DisconnectReason.EXPIRED)) {
                n++;
            } else if (session.principal() instanceof ExpiringPrincipal p && wallNow.isAfter(p.validUntil())
                    && endSession(session, DisconnectReason.CREDENTIALS_EXPIRED)) {
                credentialsExpired.increment();
            }
        }
        limits.sweep(now);
        storage.expire(TimeUnit.NANOSECONDS.toMillis(now), limit / 1_000_000, engine::hasSubscribers);
        if (n > 0) {
            expired.add(n);
            log.debug("Expired {} idle sessions", n);
        }
        return n;
    }

    /**
     * Creates an in-process client whose listeners run on {@code executor}. It may subscribe to any
     * channel, {@code /service/**} included.
     */
    public LocalClient newLocalClient(EventExecutor executor, BayeuxDecoder decoder) {
        Session session = engine.createSession(true, nanoClock.getAsLong());
        return new LocalClient(this, session, executor, decoder);
    }

    /** The channels that keep history or Webix records, for monitoring. */
    public StoredChannels storage() {
        return storage;
    }

    /**
     * Lets go of everything the stored channels keep, and hands the listeners what events are queued
     * (waiting at most two seconds). The engine is closed by its owner.
     */
    public void close() {
        storage.close();
        events.close(2_000);
    }

    /** Requests refused by a protocol limit (channel size, subscriptions, publish or handshake rate). */
    public long limitedRequests() {
        return limits.refused();
    }

    // Counters for monitoring: each is a LongAdder in the class that owns the event, summed when read.

    public long handshakes() {
        return handlers.handshake().succeeded();
    }

    /** Handshakes that turned on acknowledged delivery (CometD's acknowledgement extension). */
    public long acknowledgedHandshakes() {
        return handlers.handshake().acknowledged();
    }

    /** Messages sent again to sessions with acknowledged delivery because their batch went unacknowledged. */
    public long resentMessages() {
        return handlers.handshake().resent();
    }

    public long connects() {
        return handlers.connect().succeeded();
    }

    public long subscribes() {
        return handlers.subscribe().succeeded();
    }

    public long unsubscribes() {
        return handlers.unsubscribe().succeeded();
    }

    public long disconnects() {
        return handlers.disconnect().succeeded();
    }

    /**
     * Replies sent with an error of {@code code}, one of {@link BayeuxError#CODES}. Counted once per
     * reply as it leaves the outgoing extensions, with the code it carries then.
     */
    public long errors(int code) {
        return errors.count(code);
    }

    /** Replies sent with an error whose code is not one of {@link BayeuxError#CODES}. */
    public long otherErrors() {
        return errors.other();
    }

    /** Sessions ended because their outbox was full (with the {@code disconnect} slow-consumer policy). */
    public long disconnectedSlowConsumers() {
        return slowConsumers == null ? 0 : slowConsumers.evicted();
    }

    public long expiredSessions() {
        return expired.sum();
    }

    /** Sessions ended because their principal's credentials expired ({@link ExpiringPrincipal}). */
    public long credentialsExpiredSessions() {
        return credentialsExpired.sum();
    }

    public long publishedMessages() {
        return handlers.publish().published();
    }

    public long queuedDeliveries() {
        return handlers.publish().queuedForDelivery();
    }
}
