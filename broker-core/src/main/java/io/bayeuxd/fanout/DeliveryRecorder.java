package io.bayeuxd.fanout;

/**
 * Told by a {@link FrameWriter} about every frame that carries queued messages, on the thread that builds
 * it, just before the transport writes it. This is how a transport measures what it delivers with one
 * call per frame instead of one per message. Implementations run on event loops: they must be cheap and
 * must not block.
 */
@FunctionalInterface
public interface DeliveryRecorder {
    DeliveryRecorder NONE = (messages, backlog, oldestPublishNanos) -> { };

    /**
     * @param messages           queued messages copied into the frame, at least 1
     * @param backlog            messages waiting in the session's outbox when the drain began (at least
     *                           {@code messages}; publishers may have added more since)
     * @param oldestPublishNanos when the first of them was published, on the broker's clock, or
     *                           {@link io.bayeuxd.protocol.BayeuxEncoder#NO_PUBLISH_TIME}
     */
    void onFrame(int messages, int backlog, long oldestPublishNanos);
}
