package io.bayeuxd.bench.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Finds the first {@code "key":"value"} in a frame by byte search, without parsing JSON. Enough for
 * the requests of the load generator, which writes every field it sends as {@code "key":"value"}
 * with no whitespace and never puts {@code "channel":"}, {@code "subscription":"} or {@code "id":"}
 * inside {@code data}. Not a general Bayeux reader: escapes inside the value are not decoded.
 */
final class FrameFields {

    static final FrameFields CHANNEL = new FrameFields("channel");
    static final FrameFields SUBSCRIPTION = new FrameFields("subscription");
    static final FrameFields ID = new FrameFields("id");

    /** {@code "key":"}, read-only and shared: searched for, never written or released. */
    private final ByteBuf prefix;

    private FrameFields(String key) {
        this.prefix = Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(("\"" + key + "\":\"").getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    /**
     * @param frame borrowed: read between its indexes, neither moved nor released
     * @return the value, or null when the frame has no such field
     */
    String find(ByteBuf frame) {
        int start = ByteBufUtil.indexOf(prefix, frame);
        if (start < 0) {
            return null;
        }
        int valueStart = start + prefix.readableBytes();
        int valueEnd = frame.indexOf(valueStart, frame.writerIndex(), (byte) '"');
        return valueEnd < 0 ? null : frame.toString(valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
    }
}
