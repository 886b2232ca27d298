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

/**
 * {@code /bayeuxd-recovery.js}, our Faye client extension for history channels (docs/recovery.md), served
 * from the jar under the mount with the caching headers of {@code /client.js}, with or without
 * {@code --client-dir}. {@code FayeRecoveryTest} runs the same file in Faye's Node client.
 */
class RecoveryScriptServingTest {
    private static final Path SOURCE = Path.of("src", "main", "resources", "io", "bayeuxd", "transport", "http", "files",
            "bayeuxd-recovery.js");
    private EmbeddedBroker server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttpResponse get(EmbeddedChannel ch, String path, String... headers) {
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        send(ch, req.append("\r\n").toString());
        List<RawHttpResponse> rs = RawHttpResponse.read(written(ch), new ArrayDeque<>(List.of(false))).responses();
        assertThat(rs).hasSize(1);
        return rs.get(0);
    }

    @Test
    void servedUnderTheMountWithoutAClientDirectory() throws IOException {
        server = new EmbeddedBroker(TransportConfig.builder().mount("/faye").build());
        EmbeddedChannel ch = server.open();
        RawHttpResponse r = get(ch, "/faye/bayeuxd-recovery.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(SOURCE))
                .contains("BayeuxRecovery");
        assertThat(r.headers()).containsEntry("content-type", "text/javascript; charset=utf-8")
                .containsKey("etag").containsKey("last-modified");
        assertThat(get(ch, "/faye/bayeuxd-recovery.js", "If-None-Match: " + r.headers().get("etag")).status())
                .isEqualTo(304);
        assertThat(get(ch, "/faye/client.js").status()).as("no client directory").isEqualTo(404);
        assertThat(get(ch, "/bayeuxd-recovery.js").status()).as("outside the mount").isEqualTo(404);
    }

    @Test
    void servedBesideTheClientDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("faye-browser-min.js"), "/* the Faye client */");
        server = new EmbeddedBroker(TransportConfig.builder().clientDir(dir).build());
        EmbeddedChannel ch = server.open();
        assertThat(get(ch, "/client.js").status()).isEqualTo(200);
        assertThat(get(ch, "/bayeuxd-recovery.js").status()).isEqualTo(200);
    }
}
