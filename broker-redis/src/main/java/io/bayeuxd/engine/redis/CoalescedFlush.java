package io.bayeuxd.engine.redis;

import io.lettuce.core.api.StatefulConnection;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a connection's commands to Redis in batches instead of one write per command. The connection
 * does not flush by itself; the first command written after a flush arranges one flush, and every command
 * written before that flush runs goes out with it.
 *
 * <p>Where the flush runs: a command written on a Netty event loop (a publish made while the loop handles
 * a read) is flushed by a task on that same loop, which runs once the loop has handled what it read, so
 * the publications of one busy read go to Redis in one write, and an idle loop adds no wake-up of its
 * own. A command written on any other thread is flushed at once.
 *
 * <p>Thread-safe: Lettuce's command buffer takes writes from any thread. The flag is cleared before the
 * flush, so a command written while a flush runs either goes out with it or arranges the next one.
 *
 * <p>One flush at a time: Lettuce's flush takes the buffered commands and then hands them to its
 * connection's thread, and two flushes on two event loops could hand theirs over in the other order
 * than they took them, putting one client's later publication ahead of its earlier one (a client whose
 * requests land on two loops, seen as {@code 22, 21} in a CI run). A flush asked for while another runs
 * is left to that one, which flushes again before it stops: the same order, and no lock. It goes round
 * again only for flushes asked for during its last one, each of which had commands to send, and those
 * are bounded by the bus's cap on publications in flight.
 */
final class CoalescedFlush {
    private static final Logger log = LoggerFactory.getLogger(CoalescedFlush.class);
    private final StatefulConnection<?, ?> link;
    private final LongAdder flushes;
    private final AtomicBoolean due = new AtomicBoolean();
    /** Flushes asked for and not yet run; only the thread that raised it from 0 flushes. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable flush = this::flushNow;

    /** Turns {@code link}'s own flush after each command off. */
    CoalescedFlush(StatefulConnection<?, ?> link, LongAdder flushes) {
        this.link = link;
        this.flushes = flushes;
        link.setAutoFlushCommands(false);
    }

    /** Call after writing each command on the link. */
    void written() {
        if (!due.compareAndSet(false, true)) {
            return;   // a flush is on its way and takes this command with it
        }
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop == null) {
            flushNow();
            return;
        }
        try {
            loop.execute(flush);
        } catch (RejectedExecutionException shuttingDown) {
            flushNow();
        }
    }

    private void flushNow() {
        due.set(false);
        if (pending.getAndIncrement() != 0) {
            return;   // another thread is flushing and will flush once more for this
        }
        int asked = 1;
        do {
            flushes.increment();
            try {
                link.flushCommands();
            } catch (RuntimeException e) {
                // The commands it held fail on their own (counted as undelivered); the count must still go down.
                log.debug("Flushing publications to Redis failed: {}", e.toString());
            }
            asked = pending.addAndGet(-asked);
        } while (asked != 0);
    }
}
