package io.bayeuxd.interop;

import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CometD Java client over HTTPS, with a certificate and key made by openssl for the test. */
class CometdTlsTest {
    @TempDir
    Path dir;

    @Test
    void cometdClientPublishesAndReceivesOverHttps() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
            openssl.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: TLS test skipped");
            return;
        }
        Assumptions.assumeTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl could not make a certificate");

        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
        connector.setSslContextFactory(trustAll);
        HttpClient http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .tls(cert.toFile(), key.toFile()).build()).start()) {
            http.start();
            BayeuxClient client = new BayeuxClient("https://127.0.0.1:" + server.port() + "/", new JettyHttpClientTransport(null, http));
            client.handshake();
            assertThat(client.waitFor(10_000, BayeuxClient.State.CONNECTED)).isTrue();
            BlockingQueue<Message> got = new LinkedBlockingQueue<>();
            java.util.concurrent.CompletableFuture<Message> subscribed = new java.util.concurrent.CompletableFuture<>();
            client.getChannel("/tls/news").subscribe((ch, m) -> got.add(m), subscribed::complete);
            assertThat(subscribed.get(10, TimeUnit.SECONDS).isSuccessful()).isTrue();
            client.getChannel("/tls/news").publish(Map.of("secure", true));
            Message m = got.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getDataAsMap()).containsEntry("secure", true);
            client.disconnect(5_000);
        } finally {
            http.stop();
        }
    }
}
