package io.bayeuxd.broker;

import io.bayeuxd.api.ConnectRequest;
import io.bayeuxd.api.DisconnectReason;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands server events to the {@link ServerListener}s off the event loops: a producer (a handler on an
 * event loop, the sweep, the API) offers one small task to a bounded MPSC queue, without a lock, and the
 * single {@code bayeuxd-events} thread runs them in order. A full queue drops the event and counts it;
 * nothing ever waits for a listener. With no listener registered, every method returns at once and no
 * thread exists.
 */
final class ServerEvents {
    private static final Logger log = LoggerFactory.getLogger(ServerEvents.class);
    /** Events waiting for the listeners; a few seconds of a busy broker's publishes. */
    static final int QUEUE_CAPACITY = 65_536;
    /** The longest the thread sleeps without being woken: a safety net only, offers wake it. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();
    private final MpscArrayQueue<Event> queue;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Listeners whose failure was logged already; touched by the events thread only. */
    private final Set<ServerListener> logged = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * Listeners that want publish events: the broker's own join and leave events do not, so turning them on
     * does not queue an event per publication.
     */
    private volatile int publishListeners;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean stopping;

    ServerEvents(int capacity) {
        this.queue = new MpscArrayQueue<>(capacity);
    }

    synchronized void add(ServerListener listener) {
        if (stopping) {
            throw new IllegalStateException("the broker is closed");
        }
        listeners.add(listener);
        countPublishListeners();
        if (thread == null) {
            Thread t = new Thread(this::run, "bayeuxd-events");
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    synchronized void remove(ServerListener listener) {
        listeners.remove(listener);
        countPublishListeners();
    }

    private void countPublishListeners() {
        int n = 0;
        for (ServerListener l : listeners) {
            if (!(l instanceof IgnoresPublishes)) {
                n++;
            }
        }
        publishListeners = n;
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void handshake(Session session) {
        if (!listeners.isEmpty()) {
            offer(new Event(Kind.HANDSHAKE, session, null, null, null, null));
        }
    }

    /** A connect event, with what the client sent ({@code request}'s advice and ext). */
    void connect(Session session, String type, String previousType, Message request) {
        if (!listeners.isEmpty()) {
            offer(new Event(Kind.CONNECT, session, null, null, null,
                    new ConnectRequest(type, previousType, request.advice(), request.ext())));
        }
    }

    void subscribe(Session session, String channel) {
        if (!listeners.isEmpty()) {
            offer(new Event(Kind.SUBSCRIBE, session, channel, null, null, null));
        }
    }

    void unsubscribe(Session session, String channel) {
        if (!listeners.isEmpty()) {
            offer(new Event(Kind.UNSUBSCRIBE, session, channel, null, null, null));
        }
    }

    void publish(Session session, String channel, JsonValue data) {
        if (publishListeners != 0) {
            offer(new Event(Kind.PUBLISH, session, channel, data, null, null));
        }
    }

    /** The session has ended: one event for its subscriptions, then its disconnect. */
    void ended(Session session, DisconnectReason reason) {
        if (!listeners.isEmpty() && !session.isLocal()) {
            offer(new Event(Kind.DISCONNECT, session, null, null, reason, null));
        }
    }

    long dropped() {
        return dropped.sum();
    }

    long failures() {
        return failures.sum();
    }

    /** Delivers what is queued (for at most {@code timeoutMs}) and stops the thread. */
    void close(long timeoutMs) {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(Event event) {
        if (!queue.offer(event)) {
            dropped.increment();
            return;
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        for (;;) {
            Event e = queue.poll();
            if (e != null) {
                deliver(e);
                continue;
            }
            if (stopping) {
                return;
            }
            sleeping = true;
            // Checked again after announcing the sleep: an offer after this check sees sleeping and unparks.
            if (queue.isEmpty() && !stopping) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            sleeping = false;
        }
    }

    private void deliver(Event e) {
        List<String> subscriptions = e.kind == Kind.DISCONNECT ? e.session.subscriptions() : List.of();
        for (ServerListener listener : listeners) {
            try {
                switch (e.kind) {
                    case HANDSHAKE -> listener.onHandshake(e.session);
                    case CONNECT -> listener.onConnect(e.session, e.connect);
                    case SUBSCRIBE -> listener.onSubscribe(e.session, e.text);
                    case UNSUBSCRIBE -> listener.onUnsubscribe(e.session, e.text);
                    case PUBLISH -> listener.onPublish(e.session, e.text, e.data);
                    case DISCONNECT -> {
                        for (String channel : subscriptions) {
                            listener.onUnsubscribe(e.session, channel);
                        }
                        listener.onDisconnect(e.session, e.reason);
                    }
                }
            } catch (RuntimeException | Error ex) {
                failures.increment();
                if (ex instanceof VirtualMachineError) {
                    throw ex;
                }
                if (logged.add(listener)) {
                    log.warn("Server listener {} failed on a {} event; further failures of it are only counted",
                            listener, e.kind, ex);
                }
            }
        }
    }

    /** A listener of the broker's own that has no use for publish events. */
    interface IgnoresPublishes {
    }

    private enum Kind { HANDSHAKE, CONNECT, SUBSCRIBE, UNSUBSCRIBE, PUBLISH, DISCONNECT }

    /** One event; {@code text} is the channel of a subscribe, unsubscribe or publish. */
    private record Event(Kind kind, Session session, String text, JsonValue data,
                         DisconnectReason reason, ConnectRequest connect) {
    }
}
