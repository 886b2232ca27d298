package io.bayeuxd.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The files the jar brings, always served under the mount whatever the configuration: our {@code faye}
 * data proxy for current Webix at {@code /webix/faye-proxy.js}, and the demo page at {@code /demo/} (also
 * as {@code /demo/index.html}; {@code /demo} redirects to the slash, against which the page's relative
 * links resolve). Read from the class path once, on first use; each has an ETag of its content.
 */
final class BundledFiles {
    /** Where the proxy is served, under the mount. */
    static final String WEBIX_PROXY = "/webix/faye-proxy.js";
    static final String DEMO = "/demo/";
    private static final String DEMO_INDEX = "/demo/index.html";
    private static final String DEMO_WITHOUT_SLASH = "/demo";
    /** The folder of the class path they are read from. */
    private static final String RESOURCES = "io/bayeuxd/transport/http/files/";

    /** Loaded on first use: the broker needs them only when a page asks. */
    private static final class Holder {
        static final Map<String, StoredFile> BY_PATH = load();
    }

    private BundledFiles() {
    }

    /** Whether {@code local}, a path below the mount, is one of these files. */
    static boolean serves(String local) {
        return local.equals(WEBIX_PROXY) || local.equals(DEMO) || local.equals(DEMO_INDEX) || local.equals(DEMO_WITHOUT_SLASH);
    }

    /** Answers {@code local}, which {@link #serves} accepted; {@code rawPath} is the request's path as sent. */
    static void respond(ChannelHandlerContext ctx, FullHttpRequest request, String local, String rawPath, boolean keepAlive) {
        if (HttpResponses.refuseUnlessGetOrHead(ctx, request, keepAlive)) {
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (local.equals(DEMO_WITHOUT_SLASH)) {
            HttpResponses.sendRedirect(ctx, rawPath + "/", keepAlive);
            return;
        }
        Holder.BY_PATH.get(local).respond(ctx, request, head, keepAlive);
    }

    private static Map<String, StoredFile> load() {
        StoredFile proxy = read("webix/faye-proxy.js");
        StoredFile demo = read("demo/index.html");
        return Map.of(WEBIX_PROXY, proxy, DEMO, demo, DEMO_INDEX, demo);
    }

    private static StoredFile read(String name) {
        try (InputStream in = BundledFiles.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCES + name);
            }
            byte[] content = in.readAllBytes();
            // A jar entry's date says nothing a client can use: the ETag alone validates.
            return new StoredFile(content, new Freshness(StoredFile.digestTag(content), -1), ContentTypes.of(name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCES + name + " from the jar", e);
        }
    }
}
