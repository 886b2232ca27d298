package io.bayeuxd.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The API's door on the management port, after {@code HttpObjectAggregator}: answers every request whose
 * path is {@code /api} or below it, and passes every other one on. In this order, each with a JSON body
 * {@code {"error": "..."}}:
 * <ol>
 *   <li>a request the HTTP decoder could not read: 400, and the connection closes;</li>
 *   <li>no {@code Authorization: Bearer KEY} with the right key: 401, before anything else is looked at,
 *   so a caller without the key learns nothing, not even which paths exist;</li>
 *   <li>an unknown path: 404; another method than the path's: 405 with {@code Allow};</li>
 *   <li>for a POST, a {@code Content-Type} other than {@code application/json}: 415; a body that is not
 *   JSON: 400;</li>
 *   <li>then the path's {@link ApiEndpoint} answers, or refuses with its {@link ApiException}; at once, or
 *   once the other nodes of a cluster have (answers on one connection keep its calls' order).</li>
 * </ol>
 * A body over the limit never reaches it: {@link ApiBodyLimit} answers 413. Nothing it answers repeats the
 * key, and an unexpected failure is logged here and answered 500 without its details.
 */
@ChannelHandler.Sharable
public final class ApiHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ApiHttpHandler.class);
    static final String PREFIX = "/api";
    private static final String JSON = "application/json; charset=utf-8";
    /** The last answer of a connection not written yet, which the next one waits for. */
    private static final AttributeKey<CompletableFuture<Void>> LAST_ANSWER = AttributeKey.valueOf("bayeuxd.api.lastAnswer");

    private final ApiKey key;
    private final Map<String, ApiEndpoint> endpoints;

    /** @param endpoints by exact path, such as {@code /api/publish} */
    ApiHttpHandler(ApiKey key, Map<String, ApiEndpoint> endpoints) {
        this.key = key;
        this.endpoints = Map.copyOf(endpoints);
    }

    /** Whether the request target's path is {@code /api} or below it (any query aside). */
    static boolean isApiPath(String uri) {
        String path = path(uri);
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !isApiPath(request.uri())) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean readable = request.decoderResult().isSuccess();
            CompletionStage<ApiResponse> response = readable ? answer(request, ctx.executor())
                    : CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            reply(ctx, response.toCompletableFuture(), path(request.uri()), readable && HttpUtil.isKeepAlive(request));
        } finally {
            request.release();
        }
    }

    /**
     * Sends {@code response} once it is complete and every earlier answer on this connection is written:
     * a client that pipelines its calls gets the answers in its order, though a later call may be
     * answered sooner (one that asks other nodes waits for them). Everything here runs on the
     * connection's event loop.
     */
    private void reply(ChannelHandlerContext ctx, CompletableFuture<ApiResponse> response, String path, boolean keepAlive) {
        Attribute<CompletableFuture<Void>> last = ctx.channel().attr(LAST_ANSWER);
        CompletableFuture<Void> before = last.get();
        if ((before == null || before.isDone()) && response.isDone()) {
            send(ctx, outcome(response, path), path, keepAlive);
            return;
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        last.set(written);
        CompletableFuture<?> previous = before == null ? CompletableFuture.completedFuture(null) : before;
        previous.thenCompose(v -> response.handle((r, e) -> null)).whenComplete((v, e) -> ctx.executor().execute(() -> {
            try {
                send(ctx, outcome(response, path), path, keepAlive);
            } finally {
                written.complete(null);
            }
        }));
    }

    /** A complete answer, or what its failure answers: an {@link ApiException}'s refusal, or a logged 500. */
    private static ApiResponse outcome(CompletableFuture<ApiResponse> response, String path) {
        try {
            return response.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ApiException refused) {
                return refused.response();
            }
            log.error("API call to {} failed", path, cause);
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private void send(ChannelHandlerContext ctx, ApiResponse response, String path, boolean keepAlive) {
        String allow = response.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED) ? endpoints.get(path).method().name() : null;
        send(ctx, response, keepAlive, allow);
    }

    private CompletionStage<ApiResponse> answer(FullHttpRequest request, EventExecutor loop) {
        if (!key.authorizes(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            log.debug("API call to {} refused: no valid key", path(request.uri()));
            return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong API key"));
        }
        ApiEndpoint endpoint = endpoints.get(path(request.uri()));
        if (endpoint == null) {
            return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.NOT_FOUND, "no such API endpoint"));
        }
        if (!request.method().equals(endpoint.method())) {
            return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + endpoint.method().name()));
        }
        try {
            return endpoint.respond(endpoint.method().equals(HttpMethod.POST) ? jsonBody(request) : null, query(request.uri()), loop);
        } catch (RuntimeException e) {
            // A refusal or a fault, answered as outcome() answers a stage that failed with it.
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, List<String>> query(String uri) {
        if (uri.indexOf('?') < 0) {
            return Map.of();
        }
        try {
            return new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the query string is not valid %-encoding");
        }
    }

    private static JsonNode jsonBody(FullHttpRequest request) {
        if (!isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
        }
        ByteBuf content = request.content();
        if (!content.isReadable()) {
            throw ApiException.badRequest("the body is empty");
        }
        try {
            JsonNode body = ApiJson.MAPPER.readTree(new ByteBufInputStream(content.duplicate()));
            if (body == null || body.isMissingNode()) {
                throw ApiException.badRequest("the body is empty");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
    }

    /** {@code application/json}, with or without parameters such as {@code charset}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static void send(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, String allow) {
        ByteBuf body;
        try {
            body = ApiJson.write(ctx.alloc(), response.body());
        } catch (IOException | RuntimeException e) {
            log.error("API answer could not be written as JSON", e);
            send(ctx, ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"), false, null);
            return;
        }
        writeJson(ctx, response.status(), body, keepAlive, allow);
    }

    /** Writes {@code body} (TAKES OWNERSHIP) as a JSON response; closes the connection afterwards unless {@code keepAlive}. */
    static void writeJson(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive, String allow) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"bayeuxd\"");
        }
        if (allow != null) {
            res.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
