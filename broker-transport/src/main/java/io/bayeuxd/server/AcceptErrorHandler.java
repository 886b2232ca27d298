package io.bayeuxd.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * On a listening channel's own pipeline (through {@code ServerBootstrap.handler}): what goes wrong while
 * accepting, above all {@code accept} failing with EMFILE because the open-file limit is reached (by files
 * other than connections, or with {@code --max-connections 0}). Each failure is counted, logged at most
 * once per {@link #LOG_INTERVAL_MS}, and stops accepting on that channel for {@link #PAUSE_MS}: the pending
 * connections wait in the kernel's backlog instead of the event loop retrying the failing accept in a
 * loop. The error goes no further, so it never reaches the pipeline's tail and Netty's warning there.
 * Shared by the traffic and the management listener.
 */
@ChannelHandler.Sharable
final class AcceptErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptErrorHandler.class);
    static final long PAUSE_MS = 1_000;
    static final long LOG_INTERVAL_MS = 10_000;

    private final LongAdder fileLimit = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final RateLimitedLog warnings = new RateLimitedLog(log, LOG_INTERVAL_MS);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean outOfFiles = isOutOfFiles(cause);
        (outOfFiles ? fileLimit : other).increment();
        if (outOfFiles) {
            warnings.warn("Cannot accept connections on {}: {}. The open-file limit is reached; accepting pauses for {} ms. "
                    + "Raise the limit (ulimit -n, LimitNOFILE) or lower --max-connections", ctx.channel().localAddress(),
                    cause.getMessage(), PAUSE_MS);
        } else {
            warnings.warn("Cannot accept connections on {}: {}; accepting pauses for {} ms", ctx.channel().localAddress(),
                    String.valueOf(cause), PAUSE_MS);
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** EMFILE (this process's limit) or ENFILE (the system's), as the JDK and Netty's native transports word them. */
    static boolean isOutOfFiles(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                String m = message.toLowerCase(Locale.ROOT);
                if (m.contains("too many open files") || m.contains("emfile") || m.contains("enfile")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Accepts that failed because the open-file limit was reached. */
    long fileLimitFailures() {
        return fileLimit.sum();
    }

    /** Accepts that failed for another reason. */
    long otherFailures() {
        return other.sum();
    }
}
