package io.bayeuxd.ops.api;

import io.bayeuxd.transport.RawHttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's handlers on an {@link EmbeddedChannel} behind the real HTTP codec and body limit, as on the
 * management port: raw requests in (with the key, unless a test writes its own headers), raw responses
 * out, read strictly.
 */
final class ApiChannel {
    final EmbeddedChannel ch;
    private final String key;

    ApiChannel(String key, int maxBodyBytes, ChannelHandler... handlers) {
        this.key = key;
        this.ch = new EmbeddedChannel(Stream.concat(Stream.of(new HttpServerCodec(), new ApiBodyLimit(maxBodyBytes)),
                Stream.of(handlers)).toArray(ChannelHandler[]::new));
    }

    /** {@code GET path} with the key; its one response. */
    RawHttpResponse get(String path) {
        return request("GET", path, "Authorization: Bearer " + key, null);
    }

    /** {@code POST path} of a JSON {@code body} with the key; its one response. */
    RawHttpResponse post(String path, String body) {
        return post(path, "application/json", body);
    }

    RawHttpResponse post(String path, String contentType, String body) {
        return request("POST", path, "Authorization: Bearer " + key + "\r\nContent-Type: " + contentType, body);
    }

    /** A request with exactly {@code headers} (CRLF-separated, or {@code null}) and a Content-Length; its one response. */
    RawHttpResponse request(String method, String path, String headers, String body) {
        write(method, path, headers, body);
        return read();
    }

    /** Writes a request with exactly {@code headers} (CRLF-separated, or {@code null}) and a Content-Length. */
    void write(String method, String path, String headers, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        if (headers != null) {
            head.append(headers).append("\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        ch.writeInbound(Unpooled.wrappedBuffer(head.toString().getBytes(StandardCharsets.US_ASCII), bytes));
    }

    /** Writes {@code raw} bytes as they are. */
    void send(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    }

    /** The one response written since the last read; fails when there is none or more. */
    RawHttpResponse read() {
        List<RawHttpResponse> all = responses();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The responses written since the last read. */
    List<RawHttpResponse> responses() {
        return RawHttpResponse.responses(ch);
    }

    /** Closes the channel and releases what it still holds. */
    void close() {
        ch.finishAndReleaseAll();
    }
}
