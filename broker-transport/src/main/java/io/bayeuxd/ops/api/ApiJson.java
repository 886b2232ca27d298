package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;

/** The API's one Jackson mapper, and its JSON written straight into a buffer. */
final class ApiJson {
    /** Strict: a body is one JSON value and nothing after it. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ApiJson() {
    }

    /** {@code value} as JSON in a new buffer the caller owns. */
    static ByteBuf write(ByteBufAllocator alloc, Object value) throws IOException {
        ByteBuf buf = alloc.buffer(256);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            MAPPER.writeValue((java.io.OutputStream) out, value);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }
}
