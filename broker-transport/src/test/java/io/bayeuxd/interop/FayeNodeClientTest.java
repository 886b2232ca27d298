package io.bayeuxd.interop;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real, unmodified Faye Node client ({@code interop/faye}, npm faye@1.4.3) against this broker
 * over a real socket, once per transport. Skipped with a message where Node or the suite's
 * {@code node_modules} are missing ({@code .ci/run} installs both).
 */
class FayeNodeClientTest {
    private static final Path SUITE = Path.of("..", "interop", "faye").toAbsolutePath().normalize();
    private static BrokerServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed: Faye client interop tests skipped");
        Assumptions.assumeTrue(Files.isDirectory(SUITE.resolve("node_modules").resolve("faye")),
                "interop/faye/node_modules missing (run `npm ci` in interop/faye): Faye client interop tests skipped");
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .broker(BrokerConfig.builder().timeoutMs(10_000).build()).build()).start();
        server.addExtension(new TokenExtension());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fayeClientSuitePasses(String transport) throws Exception {
        Path log = Files.createTempFile("faye-interop-" + transport, ".log");
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "test/")
                .directory(SUITE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/");
        pb.environment().put("BAYEUX_TRANSPORT", transport);
        Process p = pb.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertThat(finished).as("node test run finished in time").isTrue();
        assertThat(p.exitValue()).as("Faye client suite over %s:%n%s", transport, output).isZero();
        assertThat(output).containsPattern("(?m)^\\S* ?fail 0$").containsPattern("(?m)^\\S* ?pass [1-9][0-9]*$");
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
