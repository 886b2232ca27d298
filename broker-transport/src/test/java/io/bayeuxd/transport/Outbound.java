package io.bayeuxd.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What a server pipeline on an {@link EmbeddedChannel} has written to the wire, for tests of every transport. */
public final class Outbound {
    private Outbound() {
    }

    /**
     * Everything written so far, as bytes, each buffer released once read. Fails on an outbound object
     * that is not a buffer: after the pipeline's encoders only bytes may reach the wire.
     */
    public static byte[] written(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            try {
                if (!(o instanceof ByteBuf b)) {
                    throw new AssertionError("not bytes on the wire: " + o);
                }
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                out.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out.toByteArray();
    }

    /** {@link #written} as UTF-8 text, decoded whole so that a character split between buffers survives. */
    public static String writtenText(EmbeddedChannel ch) {
        return new String(written(ch), StandardCharsets.UTF_8);
    }
}
