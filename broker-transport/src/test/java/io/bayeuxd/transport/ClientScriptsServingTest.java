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

import static io.bayeuxd.transport.EmbeddedBroker.send;
import static io.bayeuxd.transport.Outbound.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faye's browser client served as Faye's Node adapter serves it ({@code --client-dir}), on the production
 * pipeline: the aliases, caching headers and conditional requests, HEAD, and the answers for what is
 * not there. The files here stand in for the npm package's; {@code BrowserClientTest} loads the real one
 * into a browser.
 */
class ClientScriptsServingTest {
    private static final String SCRIPT = "(function(){ /* the Faye client */ })();\n";
    private static final String MAP = "{\"version\":3}";

    @TempDir
    Path dir;
    private EmbeddedBroker server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private EmbeddedBroker serving(String mount) throws IOException {
        Files.writeString(dir.resolve("faye-browser-min.js"), SCRIPT);
        Files.writeString(dir.resolve("faye-browser-min.js.map"), MAP);
        Files.writeString(dir.resolve("notes.txt"), "not served");
        server = new EmbeddedBroker(TransportConfig.builder().mount(mount).clientDir(dir).build());
        return server;
    }

    private static RawHttpResponse get(EmbeddedChannel ch, String method, String path, String... headers) {
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        send(ch, req.append("\r\n").toString());
        ArrayDeque<Boolean> head = new ArrayDeque<>(List.of(method.equals("HEAD")));
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch), head).responses();
        assertThat(rs).hasSize(1);
        return rs.get(0);
    }

    @Test
    void clientJsIsTheMinifiedBrowserClient() throws IOException {
        EmbeddedChannel ch = serving("/").open();
        RawHttpResponse r = get(ch, "GET", "/client.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(SCRIPT);
        assertThat(r.headers()).containsEntry("content-type", "text/javascript; charset=utf-8")
                .containsKey("etag").containsKey("last-modified");
        assertThat(get(ch, "GET", "/faye-browser-min.js").body()).isEqualTo(r.body());
        RawHttpResponse map = get(ch, "GET", "/faye-browser-min.js.map");
        assertThat(map.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(new String(map.body(), StandardCharsets.UTF_8)).isEqualTo(MAP);
        assertThat(ch.isActive()).as("keep-alive").isTrue();
    }

    @Test
    void aMountOtherThanTheRootAlsoServesMountDotJs() throws IOException {
        EmbeddedChannel ch = serving("/faye").open();
        assertThat(get(ch, "GET", "/faye.js").status()).isEqualTo(200);
        assertThat(get(ch, "GET", "/faye/client.js").status()).isEqualTo(200);
        assertThat(get(ch, "GET", "/other/client.js").status()).as("outside the mount").isEqualTo(404);
    }

    @Test
    void aConditionalRequestForTheSameVersionGets304() throws IOException {
        EmbeddedChannel ch = serving("/").open();
        RawHttpResponse first = get(ch, "GET", "/client.js");
        String etag = first.headers().get("etag");
        RawHttpResponse again = get(ch, "GET", "/client.js", "If-None-Match: " + etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.headers()).containsEntry("etag", etag);
        assertThat(get(ch, "GET", "/client.js", "If-None-Match: \"something-else\"").status()).isEqualTo(200);
        assertThat(get(ch, "GET", "/client.js", "If-Modified-Since: " + first.headers().get("last-modified")).status()).isEqualTo(304);
        assertThat(get(ch, "GET", "/client.js", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT").status()).isEqualTo(200);
    }

    @Test
    void headHasTheHeadersWithoutTheBody() throws IOException {
        EmbeddedChannel ch = serving("/").open();
        RawHttpResponse r = get(ch, "HEAD", "/client.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-length", Integer.toString(SCRIPT.length()));
        assertThat(r.body()).isEmpty();
    }

    @Test
    void whatIsNotThereIs404AndOtherMethods405() throws IOException {
        EmbeddedChannel ch = serving("/").open();
        assertThat(get(ch, "GET", "/nope.js").status()).isEqualTo(404);
        assertThat(get(ch, "GET", "/notes.txt.map").status()).isEqualTo(404);
        assertThat(get(ch, "GET", "/../faye-browser-min.js").status()).as("only names in the directory").isEqualTo(200);
        assertThat(get(ch, "DELETE", "/client.js").status()).isEqualTo(405);
    }

    @Test
    void withoutAClientDirectoryScriptPathsAre404() {
        server = new EmbeddedBroker();
        EmbeddedChannel ch = server.open();
        assertThat(get(ch, "GET", "/client.js").status()).isEqualTo(404);
    }

    @Test
    void aDirectoryWithoutTheClientIsRefusedAtStartUp() throws IOException {
        Files.writeString(dir.resolve("other.js"), "1");
        assertThatThrownBy(() -> TransportConfig.builder().clientDir(dir)).hasMessageContaining("faye-browser-min.js");
        assertThatThrownBy(() -> TransportConfig.builder().clientDir(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }
}
