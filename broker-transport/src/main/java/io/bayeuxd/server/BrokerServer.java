package io.bayeuxd.server;

import io.bayeuxd.api.AsyncExtension;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ServerListener;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.security.StripExtFields;
import io.netty.handler.ssl.SslContext;
import io.bayeuxd.broker.LocalClient;
import io.bayeuxd.engine.ClusterBus;
import io.bayeuxd.engine.redis.RedisBus;
import io.bayeuxd.engine.Engine;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.ops.BrokerMetrics;
import io.bayeuxd.ops.Readiness;
import io.bayeuxd.ops.api.ApiHttpHandler;
import io.bayeuxd.ops.api.ApiKey;
import io.bayeuxd.ops.api.HttpApi;
import io.bayeuxd.ops.api.InfoEndpoint;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.cluster.ClusterPolling;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running broker: a Netty server (native epoll where available, NIO otherwise) in front of a
 * {@link Broker} with the in-memory engine, plus the session sweeper, the metrics and the readiness
 * that {@code /readyz} reports.
 *
 * <p>Stopping is two steps: {@link #drain()} hands every connected client what is queued for it and
 * sends it elsewhere, then {@link #close()} releases everything. {@code BrokerMain} runs both on SIGTERM.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

    private final ServerConfig config;
    private final Engine engine;
    private final Broker broker;
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final Readiness readiness = new Readiness();
    private final BrokerMetrics metrics;
    private final ChannelGroup channels = new DefaultChannelGroup("bayeuxd", GlobalEventExecutor.INSTANCE);
    /** Connections to the management port: outside the drain, closed by {@link #close()}. */
    private final ChannelGroup managementChannels = new DefaultChannelGroup("bayeuxd-management", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup group;
    private final int ioThreads;
    /**
     * The management port's own event loop, or null without one: a probe of {@code /healthz} is answered
     * even while every client loop is busy, e.g. with a reconnect storm (S6 in docs/benchmarks.md).
     */
    private final EventLoopGroup managementGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SslContext tls;
    private final ConnectionLimiter limiter;
    private final ConnectionCap cap;
    private final AcceptErrorHandler acceptErrors = new AcceptErrorHandler();
    private Channel serverChannel;
    private Channel managementChannel;
    private ScheduledFuture<?> sweeper;
    /** The in-process client the HTTP API publishes through; {@code null} without {@code --api-key}. */
    private LocalClient apiClient;
    /** Forwards polling requests to the node of their session; {@code null} for a node alone. */
    private ClusterPolling clusterPolling;
    /** Beyond the connect timeout, how long a forwarded request waits before its node is taken for gone. */
    private static final long CLUSTER_REPLY_MARGIN_MS = 10_000;

    /**
     * Publishes that wait for Redis' answer before further ones are dropped (and counted): about a
     * second of a busy node's traffic, a bounded amount of memory however slow Redis is.
     */
    private static final int REDIS_MAX_IN_FLIGHT = 100_000;
    /** Put before every Redis channel name the cluster uses. */
    private static final String REDIS_PREFIX = "bayeuxd:";

    /**
     * A server with the engine of its configuration: alone ({@link EngineKind#MEMORY}), or one node of
     * several on one Redis ({@link EngineKind#REDIS}).
     *
     * @throws IllegalStateException when the configured Redis cannot be reached
     */
    public BrokerServer(ServerConfig config) {
        this(config, config.engine() == EngineKind.REDIS
                ? new RedisBus(config.redisUrl(), REDIS_PREFIX, REDIS_MAX_IN_FLIGHT) : ClusterBus.NONE);
    }

    /**
     * A server that is one node of several: publications cross to the other nodes over {@code bus}
     * (for example {@code io.bayeuxd.engine.redis.RedisBus}), which the server starts and closes.
     * {@code /readyz} answers 503 while the bus is down.
     */
    public BrokerServer(ServerConfig config, ClusterBus bus) {
        this.config = config;
        this.engine = new MemoryEngine(config.broker().outboxCapacity(), bus);
        readiness.requires(engine::isClusterHealthy);
        this.broker = new Broker(config.broker(), engine, new BayeuxEncoder(), ByteBufAllocator.DEFAULT, System::nanoTime);
        if (config.asyncSecurityPolicy() != null) {
            broker.asyncSecurityPolicy(config.asyncSecurityPolicy());
        } else {
            broker.securityPolicy(config.securityPolicy());
        }
        if (!config.stripExtFields().isEmpty()) {
            broker.addExtension(new StripExtFields(config.stripExtFields()));
        }
        this.tls = config.tlsCertificate() == null ? null : TlsContexts.fromPem(config.tlsCertificate(), config.tlsKey());
        this.metrics = new BrokerMetrics(broker, readiness);
        if (bus.stats() != null) {
            metrics.bindClusterBus(bus.stats());
        }
        IoHandlerFactory io;
        if (Epoll.isAvailable()) {
            io = EpollIoHandler.newFactory();
            channelClass = EpollServerSocketChannel.class;
        } else {
            io = NioIoHandler.newFactory();
            channelClass = NioServerSocketChannel.class;
        }
        this.ioThreads = ioThreads(config.ioThreads(), Runtime.getRuntime().availableProcessors());
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, io);
        this.managementGroup = config.managementPort() >= 0 ? new MultiThreadIoEventLoopGroup(1, io) : null;
        // Derived once the event loops hold their descriptors, so that they count among those open at start.
        this.cap = ConnectionCap.resolve(config.maxConnections());
        this.limiter = new ConnectionLimiter(cap.maxConnections(), config.maxConnectionsPerAddress());
        metrics.bindConnectionLimits(cap.maxConnections(), limiter::refusedOverTotalCap, limiter::refusedOverAddressCap,
                acceptErrors::fileLimitFailures, acceptErrors::otherFailures);
    }

    /** Binds and starts serving; returns once the port is open. */
    public BrokerServer start() throws InterruptedException {
        BrokerChannelInitializer connections = new BrokerChannelInitializer(config.transport(), broker, decoder, metrics, readiness,
                channels, limiter, tls, config.managementPort() < 0);
        if (engine.bus().nodeToken() != null) {
            // A request for a session of another node goes there; the wait covers that node's longest hold.
            clusterPolling = new ClusterPolling(engine.bus(), connections.responder(), decoder, group, ByteBufAllocator.DEFAULT,
                    config.broker().timeoutMs() + CLUSTER_REPLY_MARGIN_MS);
            connections.responder().forwarding(clusterPolling);
            metrics.bindClusterPolling(clusterPolling::forwardedRequests, clusterPolling::servedRequests, clusterPolling::lateAnswers);
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(acceptErrors)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(connections);
        if (config.managementPort() >= 0) {
            ApiHttpHandler api = config.apiKey() == null ? null : httpApi();
            managementChannel = new ServerBootstrap()
                    .group(managementGroup)
                    .channel(channelClass)
                    .handler(acceptErrors)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ManagementChannelInitializer(readiness, metrics, managementChannels, config.transport().idleTimeoutMs(),
                            api, config.transport().maxMessageBytes()))
                    .bind(config.managementHost(), config.managementPort()).sync().channel();
            log.info("Management endpoints (/metrics, /healthz, /readyz{}) on http://{}:{}", api == null ? "" : ", /api",
                    config.managementHost(), managementPort());
        }
        serverChannel = b.bind(config.host(), config.port()).sync().channel();
        log.info("{}", Character.toUpperCase(cap.explanation().charAt(0)) + cap.explanation().substring(1));
        sweeper = group.next().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        readiness.serving();
        if (config.transport().clientScripts().directory() != null) {
            log.info("Serving Faye's browser client at {} from {}", config.transport().mount().equals("/") ? "/client.js"
                    : config.transport().mount() + "/client.js", config.transport().clientScripts().directory());
        }
        String below = config.transport().mount().equals("/") ? "/" : config.transport().mount() + "/";
        if (config.transport().staticFiles().isEnabled()) {
            log.info("Serving the files of {} under {}", config.transport().staticFiles().directory(), below);
        }
        log.info("Webix demo at {}demo/ (Webix from the --static directory's webix/), Webix faye proxy at {}webix/faye-proxy.js",
                below, below);
        log.info("bayeuxd listening on {}://{}:{}{} ({}, {} event loop{}{})", tls == null ? "http" : "https", config.host(), port(),
                config.transport().mount(), Epoll.isAvailable() ? "epoll" : "nio", ioThreads, ioThreads == 1 ? "" : "s",
                tls == null ? "" : ", TLS by " + TlsContexts.provider());
        return this;
    }

    /** The HTTP API: it publishes through an in-process client of its own, as server code would. */
    private ApiHttpHandler httpApi() {
        apiClient = newLocalClient();
        String token = engine.bus().nodeToken();
        // A bus handed to the constructor makes a cluster node whatever the configuration's engine says.
        String engineName = token != null ? "redis" : config.engine().name().toLowerCase(java.util.Locale.ROOT);
        InfoEndpoint.Node node = new InfoEndpoint.Node(hostName(), token, version(), engineName);
        return HttpApi.handler(new ApiKey(config.apiKey()), apiClient::publish, broker, node, limiter::openConnections, group);
    }

    /** This machine's name as its environment or its resolver gives it. */
    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** The jar's {@code Implementation-Version}; {@code development} when run from classes. */
    static String version() {
        String version = BrokerServer.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private void sweep() {
        try {
            broker.sweep();
        } catch (RuntimeException e) {
            log.error("Session sweep failed", e);
        }
    }

    /**
     * Event loops for {@code --io-threads}: 0 gives one per core. Every handler on a loop is non-blocking, so
     * more loops than cores only add hand-offs between them (docs/scaling.md#event-loops has the measurements).
     */
    static int ioThreads(int configured, int cores) {
        return configured > 0 ? configured : Math.max(1, cores);
    }

    /** The event loops serving clients. */
    public int ioThreads() {
        return ioThreads;
    }

    /** The bound port (useful when configured with 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound management port, or -1 without one. */
    public int managementPort() {
        return managementChannel == null ? -1 : ((InetSocketAddress) managementChannel.localAddress()).getPort();
    }

    /** Polling requests forwarded between this node and the others; {@code null} for a node alone. */
    public ClusterPolling clusterPolling() {
        return clusterPolling;
    }

    public Broker broker() {
        return broker;
    }

    /** The total connection cap, as set or derived from the open-file limit. */
    ConnectionCap connectionCap() {
        return cap;
    }

    /** Connections open now and refused by the caps so far. */
    public ConnectionLimiter connectionLimiter() {
        return limiter;
    }

    /** Serving, starting or draining: what {@code /readyz} reports. */
    public Readiness readiness() {
        return readiness;
    }

    /** The metrics {@code /metrics} serves; an embedding application may add its own meters to the registry. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    public void addExtension(Extension extension) {
        broker.addExtension(extension);
    }

    /** Registers an extension that may answer later; see {@link AsyncExtension} and {@link Broker#addExtension(AsyncExtension)}. */
    public void addExtension(AsyncExtension extension) {
        broker.addExtension(extension);
    }

    /** The clients of this node subscribed to {@code channel}; see {@link Broker#presence}. */
    public java.util.List<io.bayeuxd.api.Presence> presence(String channel) {
        return broker.presence(channel);
    }

    /** Registers a listener of server events; see {@link ServerListener} and {@link Broker#addListener}. */
    public void addListener(ServerListener listener) {
        broker.addListener(listener);
    }

    /** The client connections' event loops; for tests that need them busy. */
    EventLoopGroup clientEventLoops() {
        return group;
    }

    /** An in-process client whose listeners run on one of the server's event loops. */
    public LocalClient newLocalClient() {
        return broker.newLocalClient(group.next(), decoder);
    }

    /** {@link #drain(long)} with the configured {@link ServerConfig#drainTimeoutMs()}. */
    public boolean drain() {
        return drain(config.drainTimeoutMs());
    }

    /**
     * Sends every client elsewhere without losing what was queued for it, waiting at most
     * {@code timeoutMs}:
     * <ol>
     *   <li>{@code /readyz} answers 503, so load balancers stop sending new clients;</li>
     *   <li>the listening socket closes: no new connection is accepted;</li>
     *   <li>every connection gets a {@link DrainEvent} on its event loop: a held long-poll is answered
     *   with everything queued for its session (its advice says {@code reconnect: retry}) and
     *   {@code Connection: close}; a WebSocket gets its queued messages and held connect reply in one
     *   frame, then a close frame with 1001 (going away); an idle HTTP connection closes; a busy one
     *   closes after its response;</li>
     *   <li>it waits until every connection has closed, or the timeout.</li>
     * </ol>
     * Call {@link #close()} afterwards. Messages queued after a client's connection has closed wait for a
     * reconnect that, with the in-memory engine, will go to another node: {@link #close()} counts them as
     * {@code bayeux_messages_dropped_total{reason="session_closed"}}.
     *
     * @return true if every connection closed in time; false on timeout, or when a drain had begun already
     */
    public boolean drain(long timeoutMs) {
        if (!readiness.drain()) {
            return false;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        log.info("Draining {} connections (timeout {} ms)", channels.size(), timeoutMs);
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(remainingMs(deadline));
        }
        ChannelGroupFuture allClosed = channels.newCloseFuture();
        for (Channel channel : channels) {
            channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
        boolean drained = allClosed.awaitUninterruptibly(remainingMs(deadline));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (drained) {
            log.info("Drained in {} ms", tookMs);
        } else {
            log.warn("Drain timed out after {} ms with {} connections open; closing them", tookMs, channels.size());
        }
        return drained;
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Stops at once: closes every connection, ends every session, and stops the event loops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readiness.drain();
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (managementChannel != null) {
            managementChannel.close().syncUninterruptibly();
            managementChannels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (apiClient != null) {
            apiClient.close();
        }
        long discardedBefore = engine.discardedMessages();
        // The engine ends the sessions still here all at once; the listeners hear of each.
        broker.announceShutdown();
        engine.close();
        broker.close();
        long discarded = engine.discardedMessages() - discardedBefore;
        if (discarded > 0) {
            log.warn("{} messages were still queued for sessions without a connection and are discarded", discarded);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (managementGroup != null) {
            managementGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        metrics.close();
        log.info("bayeuxd stopped");
    }
}
