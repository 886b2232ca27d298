package io.bayeuxd.bench.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of the side-by-side benchmark: a trivial WebSocket relay that does none of a Bayeux
 * broker's work (no JSON parsing, no sessions, no validation, no queues, no batching) and only
 * forwards each published frame verbatim to the sockets subscribed to its exact channel name. See
 * {@link RelayHandler} for what it answers. Same Netty setup as bayeuxd: epoll where available,
 * {@code 2 x cores} event loops by default, the same socket options.
 *
 * <p>WebSocket only, on every path. Each message goes out as its own WebSocket frame; the frames of
 * one read batch are flushed together. No slow-consumer limit: with the load generator's window
 * what is in flight stays bounded.
 *
 * <pre>java -cp broker-bench/target/loadgen.jar io.bayeuxd.bench.relay.RelayServer --port 0</pre>
 * prints {@code LISTENING <port>} once it accepts connections; stops on SIGTERM.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A trivial WebSocket relay that answers the load generator's meta messages with canned "
                + "replies and forwards publishes verbatim to the subscribers of their channel: the benchmark's ceiling.")
public final class RelayServer implements Callable<Integer>, AutoCloseable {

    @Option(names = "--port", defaultValue = "8000", description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "bind address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--timeout", defaultValue = "30", description = "seconds a /meta/connect is held (default ${DEFAULT-VALUE})")
    double timeoutSec;

    @Option(names = "--io-threads", defaultValue = "0", description = "event-loop threads, 0 for twice the cores (default ${DEFAULT-VALUE})")
    int ioThreads;

    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final RelayRoutes routes = new RelayRoutes();
    private final AtomicLong clientIds = new AtomicLong();
    private EventLoopGroup group;
    private Channel serverChannel;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!(timeoutSec > 0) || timeoutSec > 3600 || ioThreads < 0 || ioThreads > 64) {
            System.err.println("invalid options: --timeout must be in (0, 3600] s and --io-threads in [0, 64]");
            return 2;
        }
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "relay-stop"));
        System.out.println("LISTENING " + port());
        System.out.flush();
        serverChannel.closeFuture().sync();
        return 0;
    }

    /** A relay on {@code host:port} (0 for any free port) with the default timeout and event loops; see {@link #start()}. */
    public RelayServer(String host, int port) {
        this.host = host;
        this.port = port;
        this.timeoutSec = 30;
    }

    RelayServer() {
        // for picocli, which sets the options
    }

    /** Binds with the current options; returns this. */
    public RelayServer start() throws InterruptedException {
        IoHandlerFactory io;
        Class<? extends ServerChannel> channelClass;
        if (Epoll.isAvailable()) {
            io = EpollIoHandler.newFactory();
            channelClass = EpollServerSocketChannel.class;
        } else {
            io = NioIoHandler.newFactory();
            channelClass = NioServerSocketChannel.class;
        }
        group = new MultiThreadIoEventLoopGroup(ioThreads, io);
        long timeoutMs = Math.round(timeoutSec * 1000);
        WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .build();
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpObjectAggregator(MAX_MESSAGE_BYTES));
                        p.addLast(new WebSocketServerProtocolHandler(webSocket));
                        p.addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                        p.addLast(new RelayHandler(routes, clientIds, timeoutMs));
                    }
                })
                .bind(host, port).sync().channel();
        return this;
    }

    /** The bound port, once started. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    RelayRoutes routes() {
        return routes;
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
