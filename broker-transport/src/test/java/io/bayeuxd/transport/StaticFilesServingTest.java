package io.bayeuxd.transport;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

import static io.bayeuxd.transport.EmbeddedBroker.send;
import static io.bayeuxd.transport.Outbound.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --static} and the files bundled in the jar, on the production pipeline: the types, the
 * validators and 304, HEAD, directories, and everything that must not be served (paths that climb out,
 * hidden files, symbolic links out of the directory, encoded tricks), and the paths a static file never
 * shadows (the Bayeux endpoint, Faye's client, the operations endpoints, the bundled files).
 * {@code StaticFilesSocketTest} serves the same over a real socket; {@code BrowserClientTest} loads the
 * proxy and the demo into a browser.
 */
class StaticFilesServingTest {
    private static final String INDEX = "<!doctype html><title>app</title>\n";
    private static final String HANDSHAKE = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
            + "\"supportedConnectionTypes\":[\"callback-polling\"]}]";

    @TempDir
    Path tmp;
    private Path site;
    private EmbeddedBroker server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** A site: index.html, app.js, style.css, docs/ (with an index), empty/, a hidden file; a secret beside it. */
    private EmbeddedChannel serving(String mount) throws IOException {
        return serving(TransportConfig.builder().mount(mount));
    }

    private EmbeddedChannel serving(TransportConfig.Builder config) throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), INDEX);
        Files.writeString(site.resolve("app.js"), "console.log('app');\n");
        Files.writeString(site.resolve("style.css"), "body{}\n");
        Files.writeString(site.resolve("data.bin"), "\u0001\u0002");
        Files.writeString(site.resolve(".env"), "SECRET=1\n");
        Files.writeString(site.resolve("%2e%2e"), "a file with a strange name\n");
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs").resolve("index.html"), "<p>docs</p>");
        Files.createDirectories(site.resolve("empty"));
        Files.writeString(site.resolve("healthz"), "not the health check");
        Files.writeString(tmp.resolve("secret.txt"), "outside the site\n");
        server = new EmbeddedBroker(config.staticDir(site).build());
        return server.open();
    }

    private static RawHttpResponse request(EmbeddedChannel ch, String method, String target, String... headers) {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        send(ch, req.append("\r\n").toString());
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch), new ArrayDeque<>(List.of(method.equals("HEAD")))).responses();
        assertThat(rs).as("%s %s", method, target).hasSize(1);
        return rs.get(0);
    }

    private static RawHttpResponse get(EmbeddedChannel ch, String target, String... headers) {
        return request(ch, "GET", target, headers);
    }

    @Test
    void aFileIsServedAtItsPathWithItsTypeAndValidators() throws IOException {
        EmbeddedChannel ch = serving("/");
        RawHttpResponse r = get(ch, "/index.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(INDEX);
        assertThat(r.headers()).containsEntry("content-type", "text/html; charset=utf-8")
                .containsEntry("content-length", Integer.toString(INDEX.length()))
                .containsEntry("x-content-type-options", "nosniff").containsKey("etag").containsKey("last-modified");
        assertThat(get(ch, "/app.js").headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
        assertThat(get(ch, "/style.css").headers()).containsEntry("content-type", "text/css; charset=utf-8");
        assertThat(get(ch, "/data.bin").headers()).containsEntry("content-type", "application/octet-stream");
        assertThat(get(ch, "/index.html?v=2").text()).as("a query is no part of the name").isEqualTo(INDEX);
        assertThat(ch.isActive()).as("keep-alive").isTrue();
    }

    @Test
    void aConditionalRequestForTheSameVersionGets304AndHeadHasNoBody() throws IOException {
        EmbeddedChannel ch = serving("/");
        RawHttpResponse first = get(ch, "/index.html");
        String etag = first.headers().get("etag");
        RawHttpResponse again = get(ch, "/index.html", "If-None-Match: " + etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.headers()).containsEntry("etag", etag);
        assertThat(get(ch, "/index.html", "If-Modified-Since: " + first.headers().get("last-modified")).status()).isEqualTo(304);
        assertThat(get(ch, "/index.html", "If-None-Match: \"other\"").status()).isEqualTo(200);

        RawHttpResponse head = request(ch, "HEAD", "/index.html");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers()).containsEntry("content-length", Integer.toString(INDEX.length()));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aLargeFileIsStreamedWholeAndTheConnectionCarriesOn() throws IOException {
        EmbeddedChannel ch = serving("/");
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        RawHttpResponse r = get(ch, "/big.bin");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
        assertThat(get(ch, "/index.html").text()).isEqualTo(INDEX);
        assertThat(ch.isActive()).isTrue();

        send(ch, "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttpResponse.read(written(ch)).responses()).singleElement()
                .satisfies(last -> assertThat(last.text()).isEqualTo(INDEX));
        assertThat(ch.isActive()).as("closed after the response, as asked").isFalse();
    }

    @Test
    void aDirectoryIsItsIndexAfterItsSlashAndNeverAListing() throws IOException {
        EmbeddedChannel ch = serving("/");
        assertThat(get(ch, "/docs/").text()).isEqualTo("<p>docs</p>");
        RawHttpResponse redirect = get(ch, "/docs");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers()).containsEntry("location", "/docs/");
        assertThat(get(ch, "/empty/").status()).isEqualTo(404);
        assertThat(get(ch, "/index.html/").status()).as("a file asked for as a directory").isEqualTo(404);
    }

    @Test
    void whatIsMissingIs404WithAPlainBody() throws IOException {
        EmbeddedChannel ch = serving("/");
        RawHttpResponse r = get(ch, "/nope.html");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("Not found");
        assertThat(r.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
        assertThat(get(ch, "/nope.js").status()).as("a script name that is neither Faye's nor a file").isEqualTo(404);
    }

    @Test
    void nothingOutsideTheDirectoryNorHiddenIsServed() throws IOException {
        EmbeddedChannel ch = serving("/");
        for (String target : List.of("/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                "/docs/..%2f..%2fsecret.txt", "/./index.html", "/.env", "/docs/%2e", "//secret.txt", "/docs//index.html",
                "/..%5csecret.txt", "/%5c..%5csecret.txt", "/index.html%00.txt")) {
            RawHttpResponse r = get(ch, target);
            assertThat(r.status()).as(target).isEqualTo(403);
            assertThat(r.text()).as(target).isEqualTo("Forbidden");
        }
        // Decoded once only: a second layer of encoding is a file name, here one that exists.
        assertThat(get(ch, "/%252e%252e").text()).isEqualTo("a file with a strange name\n");
        assertThat(get(ch, "/%252e%252e/secret.txt").status()).isEqualTo(404);
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void aSymbolicLinkIsFollowedOnlyWhileItStaysInside() throws IOException {
        EmbeddedChannel ch = serving("/");
        Files.createSymbolicLink(site.resolve("out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("up"), tmp);
        Files.createSymbolicLink(site.resolve("home.html"), site.resolve("index.html"));
        Files.createDirectories(site.resolve("linked"));
        Files.createSymbolicLink(site.resolve("linked").resolve("index.html"), tmp.resolve("secret.txt"));
        assertThat(get(ch, "/out.txt").status()).isEqualTo(403);
        assertThat(get(ch, "/up/secret.txt").status()).isEqualTo(403);
        assertThat(get(ch, "/linked/").status()).as("an index that leads out").isEqualTo(403);
        assertThat(get(ch, "/home.html").text()).as("a link inside").isEqualTo(INDEX);
    }

    @Test
    void theBayeuxEndpointAndTheReservedPathsAreNeverShadowed() throws IOException {
        Path faye = Files.createDirectories(tmp.resolve("faye"));
        Files.writeString(faye.resolve("faye-browser-min.js"), "/* faye */");
        EmbeddedChannel ch = serving(TransportConfig.builder().clientDir(faye));
        Files.writeString(site.resolve("client.js"), "/* not faye */");
        Files.createDirectories(site.resolve("webix"));
        Files.writeString(site.resolve("webix").resolve("faye-proxy.js"), "/* not ours */");
        Files.createDirectories(site.resolve("demo"));
        Files.writeString(site.resolve("demo").resolve("index.html"), "not the demo");

        assertThat(get(ch, "/client.js").text()).isEqualTo("/* faye */");
        assertThat(get(ch, "/app.js").text()).as("a script Faye has not: the directory's").isEqualTo("console.log('app');\n");
        assertThat(get(ch, "/webix/faye-proxy.js").text()).contains("webix.proxy.faye");
        assertThat(get(ch, "/demo/").text()).contains("webixFayeProxy");
        assertThat(get(ch, "/healthz").text()).isNotEqualTo("not the health check");
        assertThat(get(ch, "/").status()).as("the mount itself is the endpoint").isEqualTo(400);
        RawHttpResponse poll = get(ch, "/index.html?message=" + java.net.URLEncoder.encode(HANDSHAKE, StandardCharsets.UTF_8)
                + "&jsonp=cb");
        assertThat(poll.text()).as("a callback-poll on any path").startsWith("/**/cb([{").contains("\"successful\":true");
        send(ch, "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + HANDSHAKE.length() + "\r\n\r\n" + HANDSHAKE);
        assertThat(RawHttpResponse.read(written(ch)).responses()).singleElement()
                .satisfies(r -> assertThat(r.text()).as("a long-poll on any path").contains("\"successful\":true"));
        assertThat(request(ch, "DELETE", "/index.html").status()).as("no file method: the endpoint's 400").isEqualTo(400);
    }

    @Test
    void underAMountTheFilesAreBelowIt() throws IOException {
        EmbeddedChannel ch = serving("/faye");
        assertThat(get(ch, "/faye/index.html").text()).isEqualTo(INDEX);
        assertThat(get(ch, "/faye/docs").headers()).containsEntry("location", "/faye/docs/");
        assertThat(get(ch, "/index.html").status()).as("outside the mount").isEqualTo(404);
        assertThat(get(ch, "/faye/").status()).as("the mount itself").isEqualTo(400);
        assertThat(get(ch, "/faye/webix/faye-proxy.js").status()).isEqualTo(200);
        assertThat(get(ch, "/faye/demo").headers()).containsEntry("location", "/faye/demo/");
    }

    @Test
    void withoutStaticTheBundledFilesAreStillServed() {
        server = new EmbeddedBroker();
        EmbeddedChannel ch = server.open();
        RawHttpResponse proxy = get(ch, "/webix/faye-proxy.js");
        assertThat(proxy.status()).isEqualTo(200);
        assertThat(proxy.headers()).containsEntry("content-type", "text/javascript; charset=utf-8").containsKey("etag");
        assertThat(proxy.text()).contains("webix.proxy.faye").contains("$proxy: true");
        assertThat(get(ch, "/webix/faye-proxy.js", "If-None-Match: " + proxy.headers().get("etag")).status()).isEqualTo(304);
        RawHttpResponse demo = get(ch, "/demo/");
        assertThat(demo.headers()).containsEntry("content-type", "text/html; charset=utf-8");
        assertThat(demo.text()).contains("../client.js").contains("../webix/webix.js").contains("../webix/faye-proxy.js");
        assertThat(get(ch, "/demo/index.html").body()).isEqualTo(demo.body());
        assertThat(get(ch, "/demo").headers()).containsEntry("location", "/demo/");
        assertThat(request(ch, "HEAD", "/demo/").body()).isEmpty();
        assertThat(request(ch, "POST", "/webix/faye-proxy.js").status()).isEqualTo(405);
        assertThat(get(ch, "/index.html").status()).as("no --static: the endpoint's 400").isEqualTo(400);
    }

    @Test
    void aMissingDirectoryIsRefusedAtStartUp() {
        assertThatThrownBy(() -> TransportConfig.builder().staticDir(tmp.resolve("missing")))
                .hasMessageContaining("--static").hasMessageContaining("missing");
    }
}
