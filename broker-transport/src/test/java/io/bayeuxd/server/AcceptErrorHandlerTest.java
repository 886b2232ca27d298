package io.bayeuxd.server;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed accept is counted, pauses accepting for a second, and never reaches the pipeline's tail. */
class AcceptErrorHandlerTest {
    @Test
    void outOfFilesIsCountedAndPausesAcceptingForASecond() {
        AcceptErrorHandler handler = new AcceptErrorHandler();
        EmbeddedChannel listener = new EmbeddedChannel(handler);
        listener.freezeTime();
        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
        // as Netty's epoll transport words it
        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));
        listener.checkException();   // throws if an error reached the tail
        assertThat(handler.fileLimitFailures()).isEqualTo(2);
        assertThat(handler.otherFailures()).isZero();
        assertThat(listener.config().isAutoRead()).as("paused").isFalse();

        listener.advanceTimeBy(AcceptErrorHandler.PAUSE_MS - 1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("still paused").isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();
        listener.finishAndReleaseAll();
    }

    @Test
    void anotherErrorIsCountedApart() {
        AcceptErrorHandler handler = new AcceptErrorHandler();
        EmbeddedChannel listener = new EmbeddedChannel(handler);
        listener.pipeline().fireExceptionCaught(new SocketException("Connection reset"));
        listener.checkException();
        assertThat(handler.otherFailures()).isEqualTo(1);
        assertThat(handler.fileLimitFailures()).isZero();
        listener.finishAndReleaseAll();
    }

    @Test
    void theJdksAndNettysWordingsOfEmfileAndEnfileAreOutOfFiles() {
        assertThat(AcceptErrorHandler.isOutOfFiles(new IOException("Too many open files"))).isTrue();
        assertThat(AcceptErrorHandler.isOutOfFiles(new IOException("Too many open files in system"))).isTrue();
        assertThat(AcceptErrorHandler.isOutOfFiles(new RuntimeException(new IOException("Too many open files")))).isTrue();
        assertThat(AcceptErrorHandler.isOutOfFiles(new IOException("Connection reset by peer"))).isFalse();
        assertThat(AcceptErrorHandler.isOutOfFiles(new IOException((String) null))).isFalse();
    }
}
