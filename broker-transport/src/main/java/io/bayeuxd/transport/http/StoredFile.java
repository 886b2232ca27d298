package io.bayeuxd.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A small file held in memory, read once at start-up and never written again: Faye's client scripts and
 * the files bundled in the jar. Answered with its validators, and 304 to a conditional request for the
 * same version.
 */
final class StoredFile {
    private final byte[] content;
    private final Freshness freshness;
    private final CharSequence contentType;

    StoredFile(byte[] content, Freshness freshness, CharSequence contentType) {
        this.content = content;
        this.freshness = freshness;
        this.contentType = contentType;
    }

    /** A strong ETag from the content's SHA-1, as Faye's adapter makes it (quoted here). */
    static String digestTag(byte[] content) {
        try {
            return '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    /** Answers a GET ({@code head} false) or HEAD for this file. */
    void respond(ChannelHandlerContext ctx, FullHttpRequest request, boolean head, boolean keepAlive) {
        FullHttpResponse res;
        if (freshness.isFresh(request.headers())) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
        } else {
            // A wrapper of the shared array, no copy: nothing writes to it.
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpResponses.X_CONTENT_TYPE_OPTIONS, HttpResponses.NOSNIFF)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        }
        freshness.addTo(res.headers());
        HttpResponses.write(ctx, res, keepAlive, null);
    }
}
