package io.bayeuxd.transport.http;

import io.bayeuxd.transport.TransportConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Which requests under the mount ask for a file rather than speak Bayeux, in this order:
 * <ol>
 *   <li>the files bundled in the jar ({@link BundledFiles}: the Webix proxy and the demo);</li>
 *   <li>a path ending in {@code .js} or {@code .map}: Faye's client scripts ({@link ClientScripts}), as
 *       Faye answers them; a name that is not one of them goes to the {@code --static} directory when
 *       there is one (404 otherwise, as from Faye);</li>
 *   <li>with {@code --static}, a {@code GET} or {@code HEAD} of a path below the mount whose query has
 *       neither {@code message} nor {@code jsonp}: a file of that directory ({@link StaticFiles}).</li>
 * </ol>
 * Everything else is the Bayeux endpoint's: the mount itself, every {@code POST}, every callback-poll.
 * So a static file never shadows the endpoint; {@code /metrics}, {@code /healthz} and {@code /readyz} are
 * answered before this, and {@code /client.js} by step 2.
 */
final class FileRoutes {
    private FileRoutes() {
    }

    /**
     * Answers the request when it asks for a file (with the file, or 403, 404 or 405) and returns true;
     * returns false, having written nothing, when it is for the Bayeux endpoint.
     *
     * @param path the decoded path, under the mount
     */
    static boolean respond(TransportConfig config, ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
                           String path, boolean keepAlive) {
        String mount = config.mount();
        // What follows the mount: "/index.html"; "" for the mount itself, ".js" for Faye's <mount>.js.
        String local = mount.equals("/") ? path : path.substring(mount.length());
        if (BundledFiles.serves(local)) {
            BundledFiles.respond(ctx, request, local, uri.rawPath(), keepAlive);
            return true;
        }
        StaticFiles statics = config.staticFiles();
        boolean inDirectory = statics.isEnabled() && local.length() > 1 && local.charAt(0) == '/';
        if (ClientScripts.isScriptPath(path)) {
            // Faye's browser client, before the Bayeux rules: a <script> tag sends no Origin to check.
            if (inDirectory && !config.clientScripts().has(path, mount)) {
                statics.respond(ctx, request, local, uri.rawPath(), keepAlive);
            } else {
                config.clientScripts().respond(ctx, request, path, mount, keepAlive);
            }
            return true;
        }
        if (inDirectory && isFileRequest(request, uri)) {
            statics.respond(ctx, request, local, uri.rawPath(), keepAlive);
            return true;
        }
        return false;
    }

    /** A GET or HEAD that is no callback-poll: those always carry {@code message}, or at least {@code jsonp}. */
    private static boolean isFileRequest(FullHttpRequest request, QueryStringDecoder uri) {
        HttpMethod method = request.method();
        return (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))
                && !uri.parameters().containsKey("message") && !uri.parameters().containsKey("jsonp");
    }
}
