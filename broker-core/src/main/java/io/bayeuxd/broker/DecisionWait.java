package io.bayeuxd.broker;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Waits for one answer of an {@link io.bayeuxd.api.AsyncSecurityPolicy} or an
 * {@link io.bayeuxd.api.AsyncExtension} on behalf of a request: the answer, its failure, or the timeout,
 * whichever comes first, decides, always on the request's event loop, so its state has that one writer. A stage already complete when it is registered (a cached answer)
 * decides at once, without a hop through the loop's queue.
 */
final class DecisionWait implements BiConsumer<Object, Throwable> {
    private final EventExecutor loop;
    private Runnable onDecided;
    private ScheduledFuture<?> timer;
    /** True while {@link #await} registers with the stage, on the loop: an answer then is an inline one. */
    private boolean registering;
    private boolean decided;
    /** Decided by a task on the loop, which then runs {@link #onDecided}, not inline in {@link #await}. */
    private boolean answeredLater;
    private boolean timedOut;
    private Object answer;
    private Throwable failure;

    DecisionWait(EventExecutor loop) {
        this.loop = loop;
    }

    /**
     * Waits for {@code stage}. Returns true when it is decided already (nothing else happens); otherwise
     * {@code onDecided} runs once on the loop when it is decided.
     */
    boolean await(CompletionStage<?> stage, long timeoutMs, Runnable onDecided) {
        // Set before the stage may call back: off the loop (a caller without one), it may do so at once.
        this.onDecided = onDecided;
        registering = true;
        try {
            stage.whenComplete(this);
        } finally {
            registering = false;
        }
        synchronized (this) {
            if (decided) {
                return !answeredLater;
            }
            timer = loop.schedule(this::timeOut, timeoutMs, TimeUnit.MILLISECONDS);
            return false;
        }
    }

    /** The stage's completion, on whatever thread completed it. */
    @Override
    public void accept(Object answer, Throwable failure) {
        if (registering && loop.inEventLoop()) {
            decide(answer, failure, false, true);
            return;
        }
        loop.execute(() -> {
            if (decide(answer, failure, false, false)) {
                onDecided.run();
            }
        });
    }

    private void timeOut() {
        if (decide(null, null, true, false)) {
            onDecided.run();
        }
    }

    /**
     * Takes the first of the answer and the timeout. Always on the loop, so the lock is uncontended; it is
     * there for a caller of {@link #await} that is not on the loop, whose answer may come meanwhile.
     */
    private synchronized boolean decide(Object answer, Throwable failure, boolean timedOut, boolean inline) {
        if (decided) {
            return false;
        }
        decided = true;
        answeredLater = !inline;
        if (timer != null) {
            timer.cancel(false);
        }
        Throwable cause = cause(failure);
        this.timedOut = timedOut || cause instanceof TimeoutException;
        this.answer = answer;
        this.failure = cause;
        return true;
    }

    /** What a stage failed with, out of the {@link CompletionException} that may wrap it. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** The policy's answer, or {@code null} when it failed or timed out. */
    Object answer() {
        return answer;
    }

    Throwable failure() {
        return failure;
    }
}
