package io.bayeuxd.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * First in every pipeline: caps open connections in total and per client address. A connection over a
 * cap is answered {@code 503} with {@code Retry-After} and closed before anything of it is parsed, counted
 * by cap, and logged at most once per {@link #LOG_INTERVAL_MS}. Shared by all channels.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("bayeuxd.counted");
    /** Seconds a refused client is told to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 5;
    static final long LOG_INTERVAL_MS = 10_000;
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: " + RETRY_AFTER_SECONDS + "\r\nContent-Length: 20\r\nConnection: close\r\n\r\nToo many connections")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refusedOverTotal = new LongAdder();
    private final LongAdder refusedOverAddress = new LongAdder();
    private final RateLimitedLog warnings = new RateLimitedLog(log, LOG_INTERVAL_MS);

    /** @param maxConnections 0 for no total cap; @param maxPerAddress 0 for no per-address cap */
    public ConnectionLimiter(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        int total = open.incrementAndGet();
        int mine = address == null ? 0 : perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        boolean overTotal = maxConnections > 0 && total > maxConnections;
        if (overTotal || (maxPerAddress > 0 && mine > maxPerAddress)) {
            (overTotal ? refusedOverTotal : refusedOverAddress).increment();
            warnings.warn("Refusing connection from {} with 503: {} open in total (cap {}), {} from this address (cap {})",
                    address, total, cap(maxConnections), mine, cap(maxPerAddress));
            ByteBuf body = ctx.alloc().buffer(REFUSAL.length).writeBytes(REFUSAL);
            ctx.writeAndFlush(body).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        open.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        ctx.fireChannelInactive();
    }

    int openConnections() {
        return open.get();
    }

    /** The total cap; 0 for none. */
    int maxConnections() {
        return maxConnections;
    }

    /** Connections refused by either cap. */
    long refusedConnections() {
        return refusedOverTotal.sum() + refusedOverAddress.sum();
    }

    /** Connections refused because {@link #maxConnections()} were open. */
    long refusedOverTotalCap() {
        return refusedOverTotal.sum();
    }

    /** Connections refused because as many were open from their address as allowed. */
    long refusedOverAddressCap() {
        return refusedOverAddress.sum();
    }

    private static Object cap(int cap) {
        return cap > 0 ? cap : "none";
    }
}
