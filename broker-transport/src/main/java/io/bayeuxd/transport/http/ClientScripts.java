package io.bayeuxd.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Faye's browser client, served the way Faye's Node adapter serves it, so that pages which load
 * {@code <script src="//host:8000/client.js">} from their Faye server work unchanged.
 *
 * <p>The files come from a directory of the npm package ({@code node_modules/faye/client}), read once at
 * start-up: every {@code *.js} and {@code *.map} file in it, answered by name on any path under the
 * mount that ends in {@code .js} or {@code .map}; and {@code faye-browser-min.js} also as
 * {@code <mount>/client.js} and, for a mount other than {@code /}, {@code <mount>.js}. Each carries an
 * {@code ETag} and {@code Last-Modified}, and a matching conditional request gets 304. Unknown names get
 * 404, as they do from Faye. Beside them, from the jar: {@value #RECOVERY_EXTENSION}, our Faye client
 * extension for history channels, the same way and with the same headers.
 */
public final class ClientScripts {
    /** The file {@code client.js} stands for. */
    public static final String BROWSER_CLIENT = "faye-browser-min.js";
    /** Our recovery extension for Faye's client (docs/recovery.md), from the jar, served with or without a directory. */
    public static final String RECOVERY_EXTENSION = "bayeuxd-recovery.js";
    private static final StoredFile RECOVERY = bundled("files/" + RECOVERY_EXTENSION);   // before NONE, which uses it
    /** No directory configured: script paths get 404, but for {@link #RECOVERY_EXTENSION}. */
    public static final ClientScripts NONE = new ClientScripts(null, withBundled(Map.of()));
    /** Refuses a directory whose files look like something other than a client build. */
    private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

    private final Path directory;
    private final Map<String, StoredFile> byName;

    private ClientScripts(Path directory, Map<String, StoredFile> byName) {
        this.directory = directory;
        this.byName = byName;
    }

    /** The directory the files were read from; null for {@link #NONE}. */
    public Path directory() {
        return directory;
    }

    /** {@code scripts} and the files bundled in the jar, which win over a directory's file of the same name. */
    private static Map<String, StoredFile> withBundled(Map<String, StoredFile> scripts) {
        Map<String, StoredFile> all = new HashMap<>(scripts);
        all.put(RECOVERY_EXTENSION, RECOVERY);
        return Map.copyOf(all);
    }

    /** A resource next to this class, read once; dated by the jar entry (or class file) it comes from. */
    private static StoredFile bundled(String resource) {
        URL url = ClientScripts.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("resource " + resource + " is missing from the build");
        }
        try {
            URLConnection connection = url.openConnection();
            try (InputStream in = connection.getInputStream()) {
                byte[] content = in.readAllBytes();
                return new StoredFile(content, new Freshness(StoredFile.digestTag(content), connection.getLastModified()),
                        HttpResponses.JAVASCRIPT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("resource " + resource + " cannot be read", e);
        }
    }

    /**
     * Reads the client files of {@code directory}.
     *
     * @throws IllegalArgumentException naming the directory and what is wrong with it
     */
    public static ClientScripts load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("client directory " + directory + " does not exist");
        }
        Map<String, StoredFile> scripts = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{js,map}")) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new IllegalArgumentException("client file " + file + " is over " + MAX_FILE_BYTES + " bytes");
                }
                String name = file.getFileName().toString();
                byte[] content = Files.readAllBytes(file);
                scripts.put(name, new StoredFile(content, new Freshness(StoredFile.digestTag(content),
                        Files.getLastModifiedTime(file).toMillis()), name.endsWith(".js") ? HttpResponses.JAVASCRIPT : HttpResponses.JSON));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("client directory " + directory + " cannot be read: " + e.getMessage());
        }
        if (!scripts.containsKey(BROWSER_CLIENT)) {
            throw new IllegalArgumentException("client directory " + directory + " has no " + BROWSER_CLIENT
                    + " (give the faye npm package's client directory)");
        }
        return new ClientScripts(directory, withBundled(scripts));
    }

    /** Whether {@code path} (under the mount) asks for a client file, as Faye decides it: by its ending. */
    static boolean isScriptPath(String path) {
        return path.endsWith(".js") || path.endsWith(".map");
    }

    /**
     * Answers a request for {@code path}, which {@link #isScriptPath} accepted, under {@code mount}.
     * GET and HEAD only; anything else gets 405.
     */
    void respond(ChannelHandlerContext ctx, FullHttpRequest request, String path, String mount, boolean keepAlive) {
        if (HttpResponses.refuseUnlessGetOrHead(ctx, request, keepAlive)) {
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        StoredFile script = byName.get(fileName(path, mount));
        if (script == null) {
            HttpResponses.sendText(ctx, HttpResponseStatus.NOT_FOUND, "Not found", keepAlive);
            return;
        }
        script.respond(ctx, request, head, keepAlive);
    }

    /** The file a script path names: its last segment, with Faye's two aliases for the browser client. */
    static String fileName(String path, String mount) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.equals("client.js") || (!mount.equals("/") && path.equals(mount + ".js"))) {
            return BROWSER_CLIENT;
        }
        return name;
    }

    /** Whether {@code path}, which {@link #isScriptPath} accepted, names one of the client's files. */
    boolean has(String path, String mount) {
        return byName.containsKey(fileName(path, mount));
    }
}
