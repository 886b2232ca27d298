package io.bayeuxd.bench.loadgen;

import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle run ({@code --publishers 0 --hold}) against bayeuxd on a free loopback port: the
 * subscribers connect, stay subscribed through the hold, and the run ends by itself with a result.
 */
class IdleRunTest {

    private BrokerServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @Timeout(30)
    void holdsTheSubscribersWithoutPublishing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadGenerator.execute(new String[] {
                "--url", "http://127.0.0.1:" + server.port() + "/", "--clients", "20", "--channels", "1",
                "--publishers", "0", "--hold", "0.5", "--connect-rate", "200", "--ramp-timeout", "10",
                "--out", Path.of("target", "loadgen-idle").toString(), "--label", "idle"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String json = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[hold   ] holding 20/20 subscribed clients for 0.5 s");
        assertThat(json).contains("\"completed\":true", "\"publishers\":0", "\"hold\":0.5", "\"subscribed\":20",
                "\"published\":0", "\"errors\":0");
    }
}
