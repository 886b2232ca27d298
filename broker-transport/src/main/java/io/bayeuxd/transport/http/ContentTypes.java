package io.bayeuxd.transport.http;

import io.netty.util.AsciiString;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a served file, by the extension of its name: the types a web page is made
 * of. Anything else is {@code application/octet-stream}, which a browser downloads rather than runs
 * (and {@code X-Content-Type-Options: nosniff} keeps it from guessing).
 */
final class ContentTypes {
    static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final Map<String, AsciiString> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", AsciiString.cached("text/html; charset=utf-8")),
            Map.entry("htm", AsciiString.cached("text/html; charset=utf-8")),
            Map.entry("css", AsciiString.cached("text/css; charset=utf-8")),
            Map.entry("js", HttpResponses.JAVASCRIPT),
            Map.entry("mjs", HttpResponses.JAVASCRIPT),
            Map.entry("json", HttpResponses.JSON),
            Map.entry("map", HttpResponses.JSON),
            Map.entry("txt", HttpResponses.TEXT),
            Map.entry("md", AsciiString.cached("text/markdown; charset=utf-8")),
            Map.entry("xml", AsciiString.cached("application/xml; charset=utf-8")),
            Map.entry("svg", AsciiString.cached("image/svg+xml")),
            Map.entry("png", AsciiString.cached("image/png")),
            Map.entry("jpg", AsciiString.cached("image/jpeg")),
            Map.entry("jpeg", AsciiString.cached("image/jpeg")),
            Map.entry("gif", AsciiString.cached("image/gif")),
            Map.entry("webp", AsciiString.cached("image/webp")),
            Map.entry("ico", AsciiString.cached("image/x-icon")),
            Map.entry("woff", AsciiString.cached("font/woff")),
            Map.entry("woff2", AsciiString.cached("font/woff2")),
            Map.entry("ttf", AsciiString.cached("font/ttf")),
            Map.entry("otf", AsciiString.cached("font/otf")),
            Map.entry("eot", AsciiString.cached("application/vnd.ms-fontobject")),
            Map.entry("wasm", AsciiString.cached("application/wasm")),
            Map.entry("pdf", AsciiString.cached("application/pdf")));

    private ContentTypes() {
    }

    /** The type of a file named {@code name}. */
    static AsciiString of(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }
}
