package io.bayeuxd.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bayeuxd.transport.http.BayeuxHttpHandler;
import io.bayeuxd.transport.websocket.BayeuxWebSocketHandler;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Catches the exceptions that the transport handlers swallow. Both end in {@code exceptionCaught}, which
 * logs {@code "Closing {} after error: {}"} at debug level and closes the connection: no exception
 * escapes the pipeline, but the client gets no answer.
 * {@link io.netty.channel.embedded.EmbeddedChannel#checkException} cannot see
 * them, so this listens to that log line instead, for as long as it is open.
 *
 * <p>Only the two handlers' loggers are raised to debug, and they stop writing to the console meanwhile.
 */
public final class SwallowedErrors implements AutoCloseable {
    private static final String SWALLOWED = "Closing {} after error: {}";

    /**
     * Swallowed exceptions that are known bugs, each shown by a disabled test in
     * {@code HostileInputAnswersTest}. Remove an entry when its bug is fixed.
     */
    public static final List<String> KNOWN_BUGS = List.of();

    /**
     * Whether a swallowed exception is expected: a known bug, or the aggregator's notice that the
     * connection closed in the middle of a request or fragmented message, after which there is nobody
     * left to answer.
     */
    public static boolean isExpected(String swallowed) {
        return swallowed.startsWith("io.netty.handler.codec.PrematureChannelClosureException")
                || KNOWN_BUGS.stream().anyMatch(swallowed::startsWith);
    }

    private static final List<Logger> LOGGERS = List.of(logger(BayeuxHttpHandler.class), logger(BayeuxWebSocketHandler.class));
    /**
     * Open instances. jqwik may create the next property's container before it closes the last one, so
     * the loggers are raised by the first open instance and restored by the last to close.
     */
    private static int open;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public SwallowedErrors() {
        appender.start();
        synchronized (SwallowedErrors.class) {
            if (open++ == 0) {
                for (Logger l : LOGGERS) {
                    l.setLevel(Level.DEBUG);
                    l.setAdditive(false);
                }
            }
            LOGGERS.forEach(l -> l.addAppender(appender));
        }
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }

    /** The {@code toString()} of each exception swallowed since the last call, then forgets them. */
    public List<String> drain() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : appender.list) {
            if (SWALLOWED.equals(e.getMessage())) {
                out.add(String.valueOf(e.getArgumentArray()[1]));
            }
        }
        appender.list.clear();
        return out;
    }

    /** The swallowed exceptions since the last call that are not {@linkplain #isExpected expected}; see {@link #drain}. */
    public List<String> unexpected() {
        return drain().stream().filter(e -> !isExpected(e)).toList();
    }

    @Override
    public void close() {
        synchronized (SwallowedErrors.class) {
            LOGGERS.forEach(l -> l.detachAppender(appender));
            if (--open == 0) {
                for (Logger l : LOGGERS) {
                    // Back to what logback-test.xml gives them: inherited level, console output.
                    l.setLevel(null);
                    l.setAdditive(true);
                }
            }
        }
        appender.stop();
    }
}
