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
 * cap is answered {@code 503} and closed before anything of it is parsed. Shared by all channels.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("bayeuxd.counted");
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 20\r\nConnection: close\r\n\r\nToo many connections").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final RateLimitedLog warnings = new RateLimitedLog(log, 10_000);

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
        if ((maxConnections > 0 && total > maxConnections) || (maxPerAddress > 0 && mine > maxPerAddress)) {
            refused.increment();
            warnings.warn("Refusing connection from {}: {} open in total, {} from this address", address, total, mine);
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

    public int openConnections() {
        return open.get();
    }

    public long refusedConnections() {
        return refused.sum();
    }
}
