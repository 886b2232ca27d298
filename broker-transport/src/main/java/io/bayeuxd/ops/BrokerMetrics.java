package io.bayeuxd.ops;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.engine.ClusterBusStats;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.fanout.DeliveryRecorder;
import io.bayeuxd.storage.StoredChannels;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.ConnectionTypes;
import io.bayeuxd.session.Session;
import io.bayeuxd.transport.websocket.DeflatedFrames;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The broker's metrics in a Micrometer Prometheus registry. Nothing here runs per message: the core's
 * striped counters ({@code LongAdder}s in the class that owns each event) and the engine's counts are
 * read by function counters and gauges when {@code /metrics} is scraped; the transports record once
 * per frame through a {@link DeliveryRecorder}; the outbox gauges walk the sessions once per read.
 *
 * <p>Names are given Micrometer-style ({@code bayeux.messages.published}); the Prometheus naming
 * convention writes them as {@code bayeux_messages_published_total}. {@code docs/operations.md} lists
 * them all.
 */
public final class BrokerMetrics implements AutoCloseable {
    /** Transport label of the polling transports (long-polling, cross-origin, callback-polling). */
    public static final String HTTP = "http";
    /** Transport label of WebSocket connections: the connection type's own name. */
    public static final String WEBSOCKET = ConnectionTypes.WEBSOCKET;

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};
    private static final double[] BACKLOG_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Micrometer holds the objects its functions read weakly; these fields keep them alive.
    private final Broker broker;
    private final Engine engine;
    private final Readiness readiness;
    private final ConnectionStats connections = new ConnectionStats();
    private final DeliveryMeter httpDelivery;
    private final DeliveryMeter webSocketDelivery;
    private final ByteBufAllocatorMetric allocator;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private ClusterBusStats clusterBus;
    private DeflatedFrames deflatedFrames;
    private LongSupplier[] clusterPollingCounters;
    private LongSupplier[] connectionLimitCounters;

    public BrokerMetrics(Broker broker, Readiness readiness) {
        this.broker = broker;
        this.engine = broker.engine();
        this.readiness = readiness;
        // promtool check metrics rejects two names of Micrometer's ProcessorMetrics: "_ns" is an
        // abbreviated unit, and only histograms and summaries may end in "_count". Leave them out;
        // process_cpu_seconds_total (bindRuntime) replaces the first.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")));
        bindProtocol();
        bindState();
        bindStorage();
        httpDelivery = bindDelivery(HTTP);
        webSocketDelivery = bindDelivery(WEBSOCKET);
        bindConnections();
        allocator = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p ? p.metric() : null;
        bindRuntime();
    }

    private void bindProtocol() {
        counter("bayeux.handshakes", "Successful /meta/handshake requests", broker, Broker::handshakes);
        counter("bayeux.connects", "Successful /meta/connect requests", broker, Broker::connects);
        counter("bayeux.ack.handshakes", "Handshakes that turned on acknowledged delivery (CometD's ack extension)",
                broker, Broker::acknowledgedHandshakes);
        counter("bayeux.ack.messages.resent", "Messages sent again because the batch that carried them was not acknowledged",
                broker, Broker::resentMessages);
        counter("bayeux.subscribes", "Successful /meta/subscribe requests", broker, Broker::subscribes);
        counter("bayeux.unsubscribes", "Successful /meta/unsubscribe requests", broker, Broker::unsubscribes);
        counter("bayeux.disconnects", "Successful /meta/disconnect requests", broker, Broker::disconnects);
        counter("bayeux.slow.consumers.disconnected", "Sessions ended because their outbox was full (slow-consumer policy disconnect)",
                broker, Broker::disconnectedSlowConsumers);
        counter("bayeux.sessions.expired", "Sessions expired after two timeouts without a connect", broker, Broker::expiredSessions);
        counter("bayeux.sessions.credentials.expired", "Sessions ended because their credentials (a JWT's exp) expired",
                broker, Broker::credentialsExpiredSessions);
        counter("bayeux.server.events.dropped", "Server events not passed to listeners because their queue was full",
                broker, Broker::droppedEvents);
        counter("bayeux.server.listener.failures", "Server-event listener calls that threw", broker, Broker::listenerFailures);
        counter("bayeux.messages.published", "Messages accepted for publishing (after the extensions)", broker, Broker::publishedMessages);
        counter("bayeux.deliveries.queued", "Copies of published messages queued in subscribers' outboxes", broker, Broker::queuedDeliveries);
        counter("bayeux.messages.dropped", "Messages not delivered, by reason", engine, Engine::droppedMessages, "reason", "slow_consumer");
        counter("bayeux.messages.dropped", "Messages not delivered, by reason", engine, Engine::discardedMessages, "reason", "session_closed");
        for (int code : BayeuxError.CODES) {
            counter("bayeux.errors", "Replies sent with a Bayeux error, by code", broker, b -> b.errors(code), "code", Integer.toString(code));
        }
        counter("bayeux.errors", "Replies sent with a Bayeux error, by code", broker, Broker::otherErrors, "code", "other");
    }

    /** The counters of {@code permessage-deflate} WebSockets: upgrades, and compressions made once and shared. */
    public void bindWebSocketCompression(DeflatedFrames frames) {
        deflatedFrames = frames;
        counter("bayeux.websocket.compressed.upgrades", "WebSocket upgrades that negotiated permessage-deflate",
                frames, DeflatedFrames::compressedUpgrades);
        String help = "Queued messages written to compressed WebSockets by --websocket-compress-once, by where their compressed bytes came from";
        counter("bayeux.websocket.deflated.messages", help, frames, DeflatedFrames::messagesCompressed, "copy", "made");
        counter("bayeux.websocket.deflated.messages", help, frames, DeflatedFrames::compressedCopiesReused, "copy", "shared");
        counter("bayeux.websocket.deflated.messages", help, frames, DeflatedFrames::messagesCompressedUnshared, "copy", "own");
    }

    /** The counters of the link to other nodes, and each publish's round trip to it. */
    public void bindClusterBus(ClusterBusStats bus) {
        counter("bayeux.cluster.publications.sent", "Publications of this node sent to the other nodes", bus, ClusterBusStats::publicationsSent);
        counter("bayeux.cluster.publications.received", "Publications of other nodes received", bus, ClusterBusStats::publicationsReceived);
        counter("bayeux.cluster.deliveries", "Copies of other nodes' publications queued for local sessions", bus, ClusterBusStats::deliveries);
        counter("bayeux.cluster.publications.undelivered",
                "Publications of this node that did not reach the other nodes (link down, too many in flight, an error)",
                bus, ClusterBusStats::undelivered);
        counter("bayeux.cluster.commands", "Commands sent on the link to other nodes", bus, ClusterBusStats::commands);
        counter("bayeux.cluster.flushes", "Writes that carried this node's publications to the other nodes' link, each with every publication made since the one before",
                bus, ClusterBusStats::flushes);
        counter("bayeux.cluster.reconnects", "Times the link to other nodes came back after being lost", bus, ClusterBusStats::reconnects);
        FunctionCounter.builder("bayeux.cluster.sent", bus, ClusterBusStats::bytesSent)
                .description("Bytes of publications sent to the other nodes").baseUnit(BaseUnits.BYTES).register(registry);
        FunctionCounter.builder("bayeux.cluster.received", bus, ClusterBusStats::bytesReceived)
                .description("Bytes of publications received from other nodes").baseUnit(BaseUnits.BYTES).register(registry);
        Timer roundTrip = Timer.builder("bayeux.cluster.round.trip")
                .description("From sending a publication to the other nodes' link to its acknowledgement")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        bus.onRoundTrip(nanos -> roundTrip.record(nanos, TimeUnit.NANOSECONDS));
        clusterBus = bus;
    }

    /** The polling requests that crossed nodes because a balancer sent them to another node than their session's. */
    public void bindClusterPolling(LongSupplier forwarded, LongSupplier served, LongSupplier lateAnswers) {
        FunctionCounter.builder("bayeux.cluster.requests.forwarded", forwarded, LongSupplier::getAsLong)
                .description("Polling requests sent to the node that holds their session").register(registry);
        FunctionCounter.builder("bayeux.cluster.requests.served", served, LongSupplier::getAsLong)
                .description("Polling requests other nodes sent here for sessions of this node").register(registry);
        FunctionCounter.builder("bayeux.cluster.answers.late", lateAnswers, LongSupplier::getAsLong)
                .description("Answers of other nodes that came after their request was given up (their messages are lost)").register(registry);
        clusterPollingCounters = new LongSupplier[] {forwarded, served, lateAnswers};
    }

    /**
     * The connection cap and what was turned away at it: connections refused with a 503 by the total or the
     * per-address cap, and accepts that failed (at the open-file limit, or otherwise).
     */
    public void bindConnectionLimits(int maxConnections, LongSupplier refusedOverTotal, LongSupplier refusedOverAddress,
                                     LongSupplier acceptFileLimit, LongSupplier acceptOther) {
        Gauge.builder("bayeux.connections.max", () -> maxConnections)
                .description("Cap on open connections in total (0: none)").register(registry);
        String refused = "Connections answered 503 and closed at accept, by the cap they were over";
        FunctionCounter.builder("bayeux.connections.refused", refusedOverTotal, LongSupplier::getAsLong)
                .description(refused).tag("reason", "max_connections").register(registry);
        FunctionCounter.builder("bayeux.connections.refused", refusedOverAddress, LongSupplier::getAsLong)
                .description(refused).tag("reason", "max_connections_per_address").register(registry);
        String failed = "Accepts that failed, each pausing accepting for a second: file_limit when the open-file limit was reached";
        FunctionCounter.builder("bayeux.accept.failures", acceptFileLimit, LongSupplier::getAsLong)
                .description(failed).tag("reason", "file_limit").register(registry);
        FunctionCounter.builder("bayeux.accept.failures", acceptOther, LongSupplier::getAsLong)
                .description(failed).tag("reason", "other").register(registry);
        connectionLimitCounters = new LongSupplier[] {refusedOverTotal, refusedOverAddress, acceptFileLimit, acceptOther};
    }

    private void bindState() {
        gauge("bayeux.sessions", "Live client sessions", engine, Engine::sessionCount);
        gauge("bayeux.channels", "Channels and patterns with at least one subscriber", engine, Engine::channelCount);
        gauge("bayeux.subscriptions", "Subscriptions of all sessions", engine, Engine::subscriptionCount);
        gauge("bayeux.outbox.messages", "Messages waiting in all session outboxes", this, BrokerMetrics::queuedMessages);
        gauge("bayeux.outbox.messages.largest", "Messages waiting in the fullest session outbox", this, BrokerMetrics::largestOutbox);
        gauge("bayeux.ready", "1 while serving, 0 while starting, draining or cut off from the other nodes", readiness, r -> r.isServing() ? 1 : 0);
    }

    private DeliveryMeter bindDelivery(String transport) {
        DistributionSummary backlog = DistributionSummary.builder("bayeux.outbox.depth")
                .description("Messages waiting in a session's outbox when its connection drained it, per frame")
                .tag("transport", transport).serviceLevelObjectives(BACKLOG_BUCKETS).register(registry);
        Timer latency = Timer.builder("bayeux.delivery.latency")
                .description("From publish to the write of a frame, for the frame's oldest message")
                .tag("transport", transport).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        DeliveryMeter meter = new DeliveryMeter(backlog, latency, broker::nanoTime);
        counter("bayeux.messages.written", "Queued messages written to clients", meter, m -> m.messages.sum(), "transport", transport);
        counter("bayeux.frames.written", "Frames or responses that carried queued messages", meter, m -> m.frames.sum(), "transport", transport);
        return meter;
    }

    private void bindConnections() {
        gauge("bayeux.connections", "Open connections by transport", connections, ConnectionStats::openHttp, "transport", HTTP);
        gauge("bayeux.connections", "Open connections by transport", connections, ConnectionStats::openWebSocket, "transport", WEBSOCKET);
        FunctionCounter.builder("bayeux.received", connections, ConnectionStats::receivedBytes)
                .description("Bytes read from client connections").baseUnit(BaseUnits.BYTES).register(registry);
        FunctionCounter.builder("bayeux.sent", connections, ConnectionStats::sentBytes)
                .description("Bytes written to client connections").baseUnit(BaseUnits.BYTES).register(registry);
    }

    private void bindRuntime() {
        if (allocator != null) {
            String type = ByteBufAllocator.DEFAULT.getClass().getSimpleName().replace("ByteBufAllocator", "").toLowerCase(Locale.ROOT);
            Gauge.builder("bayeux.netty.allocator.used", allocator, ByteBufAllocatorMetric::usedHeapMemory)
                    .description("Memory held by Netty's buffer allocator").baseUnit(BaseUnits.BYTES)
                    .tags("memory", "heap", "allocator", type).register(registry);
            Gauge.builder("bayeux.netty.allocator.used", allocator, ByteBufAllocatorMetric::usedDirectMemory)
                    .description("Memory held by Netty's buffer allocator").baseUnit(BaseUnits.BYTES)
                    .tags("memory", "direct", "allocator", type).register(registry);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the process").baseUnit("seconds").register(registry);
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private void bindStorage() {
        StoredChannels storage = broker.storage();
        gauge("bayeux.stored.channels", "Channels keeping history or Webix records now", storage, StoredChannels::channelCount);
        gauge("bayeux.history.messages", "Messages held in channel histories now", storage, StoredChannels::historyMessages);
        gauge("bayeux.storage.records", "Records held in storage channels now", storage, StoredChannels::records);
        counter("bayeux.recoveries", "Subscribes that asked for recovery, by outcome", storage, StoredChannels::recovered,
                "outcome", "recovered");
        counter("bayeux.recoveries", "Subscribes that asked for recovery, by outcome", storage, StoredChannels::notRecovered,
                "outcome", "failed");
        counter("bayeux.stored.channels.refused", "Publications to channels a rule covers that were not kept: "
                + "--max-stored-channels reached", storage, StoredChannels::notKept);
    }

    private <T> void counter(String name, String help, T source, ToDoubleFunction<T> read, String... tags) {
        FunctionCounter.builder(name, source, read).description(help).tags(tags).register(registry);
    }

    private <T> void gauge(String name, String help, T source, ToDoubleFunction<T> read, String... tags) {
        Gauge.builder(name, source, read).description(help).tags(tags).register(registry);
    }

    /** Counts the frames of the polling transports; give it to their {@code FrameWriter}. */
    public DeliveryRecorder httpRecorder() {
        return httpDelivery;
    }

    /** Counts the frames of the WebSocket transport; give it to its {@code FrameWriter}. */
    public DeliveryRecorder webSocketRecorder() {
        return webSocketDelivery;
    }

    /** Bytes and connections; its meters go first in every connection's pipeline. */
    public ConnectionStats connections() {
        return connections;
    }

    /** The registry, for an embedding application that adds its own meters. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The exposition format to answer a scrape with: OpenMetrics when the Accept header asks for it. */
    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
    }

    /** Writes every metric to {@code out} in {@code contentType}, one of {@link #contentType}'s answers. */
    public void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    // One pass over the sessions per read, at scrape time only; the sweeper walks them every second anyway.
    private double queuedMessages() {
        long n = 0;
        for (Session s : engine.sessions()) {
            n += s.queuedMessages();
        }
        return n;
    }

    private double largestOutbox() {
        int max = 0;
        for (Session s : engine.sessions()) {
            max = Math.max(max, s.queuedMessages());
        }
        return max;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
