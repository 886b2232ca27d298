package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --static} and the bundled files over a real socket, as curl would fetch them: a file larger than
 * the socket's buffers streamed whole, 304, 404, a climb out of the directory sent raw (an HTTP client
 * would tidy it away) answered 403, and the Bayeux endpoint beside them.
 * {@code StaticFilesServingTest} has the cases in detail.
 */
class StaticFilesSocketTest {
    @TempDir
    static Path tmp;
    private static BrokerServer server;
    private static HttpClient http;
    private static String base;
    private static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>hello</h1>");
        big = new byte[5 * 1024 * 1024 + 3];
        new Random(7).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(3_000).build())
                .transport(TransportConfig.builder().staticDir(site).build())
                .build()).start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void filesComeWholeWithTheirValidators() throws Exception {
        HttpResponse<byte[]> index = get("/index.html");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>hello</h1>");
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String etag = index.headers().firstValue("etag").orElseThrow();
        assertThat(get("/index.html", "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<byte[]> large = get("/big.bin");
        assertThat(large.statusCode()).isEqualTo(200);
        assertThat(large.body()).isEqualTo(big);
        assertThat(get("/missing.html").statusCode()).isEqualTo(404);
    }

    @Test
    void theBundledProxyAndDemoAndTheEndpointAnswerBesideThem() throws Exception {
        HttpResponse<byte[]> proxy = get("/webix/faye-proxy.js");
        assertThat(proxy.statusCode()).isEqualTo(200);
        assertThat(new String(proxy.body(), StandardCharsets.UTF_8)).contains("webix.proxy.faye");
        assertThat(get("/demo/").statusCode()).isEqualTo(200);
        HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                        + "\"supportedConnectionTypes\":[\"long-polling\"]}]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.body()).contains("\"successful\":true");
    }

    @Test
    void aClimbOutSentRawIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 403 ").endsWith("Forbidden").doesNotContain("outside");
        }
    }
}
