package io.bayeuxd.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The files of the {@code --static} directory, served at their path under the mount: {@code GET} and
 * {@code HEAD} only, the type by extension ({@link ContentTypes}), {@code ETag} and {@code Last-Modified}
 * from the file's size and date, 304 to a conditional request for the same version. A directory's
 * {@code index.html} answers for it; there are no listings.
 *
 * <p>Nothing outside the directory is served. The path arrives percent-decoded once (so {@code %2e%2e} is
 * already {@code ..} here, and a second layer of encoding is only a strange file name); a path with a
 * segment that starts with a dot ({@code ..}, {@code .}, {@code .git}), an empty segment, a backslash or a
 * NUL gets 403, and so does a file whose real path, symbolic links followed, leaves the directory.
 *
 * <p>The content is streamed from the file in chunks ({@link ChunkedNioFile} through a
 * {@link ChunkedWriteHandler} that the first file served adds to the connection's pipeline), so a large
 * file is never held in memory, and the same path works under TLS. Opening and reading a file block the
 * event loop briefly, as in Netty's own file server: this serves the pages of an application, not
 * downloads.
 */
public final class StaticFiles {
    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);
    /** No directory configured. */
    public static final StaticFiles NONE = new StaticFiles(null);
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final String INDEX = "index.html";

    /** The directory's real path: what every served file's real path must start with. */
    private final Path root;

    private StaticFiles(Path root) {
        this.root = root;
    }

    /**
     * The files of {@code directory}.
     *
     * @throws IllegalArgumentException naming the directory when it is not one
     */
    public static StaticFiles open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("directory " + directory + " does not exist or is not a directory");
        }
        try {
            return new StaticFiles(directory.toRealPath());
        } catch (IOException e) {
            throw new IllegalArgumentException("directory " + directory + " cannot be read: " + e.getMessage());
        }
    }

    /** Whether a directory is configured. */
    public boolean isEnabled() {
        return root != null;
    }

    /** The directory's real path; null for {@link #NONE}. */
    public Path directory() {
        return root;
    }

    /**
     * Answers a request for {@code local}, the decoded path below the mount (starting with {@code /});
     * {@code rawPath} is the request's path as sent, for the redirect of a directory to its slash.
     */
    void respond(ChannelHandlerContext ctx, FullHttpRequest request, String local, String rawPath, boolean keepAlive) {
        if (HttpResponses.refuseUnlessGetOrHead(ctx, request, keepAlive)) {
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        String refused = refusal(local);
        if (refused != null) {
            forbidden(ctx, local, refused, keepAlive);
            return;
        }
        Path file;
        try {
            file = realPath(root.resolve(local.substring(1)));
        } catch (InvalidPathException e) {
            forbidden(ctx, local, "not a file name here", keepAlive);
            return;
        }
        if (file != null && !file.startsWith(root)) {
            forbidden(ctx, local, "its real path " + file + " is outside " + root, keepAlive);
            return;
        }
        if (file != null && Files.isDirectory(file)) {
            if (!local.endsWith("/")) {
                // Relative links in its index resolve against the slash.
                HttpResponses.sendRedirect(ctx, rawPath + "/", keepAlive);
                return;
            }
            file = realPath(file.resolve(INDEX));
            if (file != null && !file.startsWith(root)) {
                forbidden(ctx, local, "its index's real path " + file + " is outside " + root, keepAlive);
                return;
            }
        } else if (local.endsWith("/")) {
            file = null; // a file asked for as a directory
        }
        if (file == null || !Files.isRegularFile(file)) {
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", keepAlive);
            return;
        }
        try {
            send(ctx, request.headers(), file, head, keepAlive);
        } catch (IOException e) {
            log.debug("Static file {} cannot be read: {}", file, e.toString());
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", keepAlive);
        }
    }

    /** Why {@code local} may not name a file in the directory, whatever is there; null when it may. */
    static String refusal(String local) {
        if (local.indexOf('\\') >= 0 || local.indexOf('\0') >= 0) {
            return "a backslash or NUL in the path";
        }
        int start = 1;
        while (start < local.length()) {
            int end = local.indexOf('/', start);
            if (end < 0) {
                end = local.length();
            }
            if (end == start) {
                return "an empty segment";
            }
            if (local.charAt(start) == '.') {
                return "a segment starting with a dot";
            }
            start = end + 1;
        }
        return null;
    }

    /** The file's real path, symbolic links followed; null when there is none. */
    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static void forbidden(ChannelHandlerContext ctx, String local, String why, boolean keepAlive) {
        log.debug("Static path {} refused from {}: {}", local, ctx.channel().remoteAddress(), why);
        HttpResponses.sendText(ctx, HttpResponseStatus.FORBIDDEN, "Forbidden", keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, HttpHeaders requestHeaders, Path file, boolean head, boolean keepAlive)
            throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long length = attributes.size();
        long modifiedMillis = attributes.lastModifiedTime().toMillis();
        Freshness freshness = new Freshness('"' + Long.toHexString(length) + '-' + Long.toHexString(modifiedMillis) + '"',
                modifiedMillis);
        if (freshness.isFresh(requestHeaders)) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
            freshness.addTo(res.headers());
            HttpResponses.write(ctx, res, keepAlive, null);
            return;
        }
        if (head) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
            headers(res, file, length, freshness);
            HttpResponses.write(ctx, res, keepAlive, null);
            return;
        }
        // Opened before anything is written, so that a file that cannot be read still gets its 404. The
        // chunked input owns the channel from here: ChunkedWriteHandler closes it when done or failed.
        FileChannel content = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headers(res, file, length, freshness);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            // Just in front of this handler, so that what it writes passes through it to the HTTP codec.
            ctx.pipeline().addBefore(ctx.name(), "chunked-writer", new ChunkedWriteHandler());
        }
        ctx.write(res);
        ChannelFuture written = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(content, 0, length, CHUNK_BYTES)));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void headers(HttpResponse res, Path file, long length, Freshness freshness) {
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.getFileName().toString()))
                .set(HttpResponses.X_CONTENT_TYPE_OPTIONS, HttpResponses.NOSNIFF)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        freshness.addTo(res.headers());
    }
}
