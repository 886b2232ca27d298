package io.bayeuxd.transport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Turns Netty's leak reports into a test failure. The detector (at paranoid in every test run) only
 * reports a buffer once the garbage collector has found it unreleased, and only when it next tracks a new
 * buffer, so a short test may end before a leak shows; {@link #assertNoLeaks} forces both.
 */
public final class LeakWatch implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LeakWatch() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Collects garbage, lets the detector report, and fails if it reported a leak since this watch began. */
    public void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                // The reference handler thread enqueues collected buffers after the collection.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ByteBufAllocator.DEFAULT.buffer(1).release();
        }
        List<String> leaks = appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
        assertThat(leaks).as("buffer leaks").isEmpty();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
