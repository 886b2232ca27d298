package io.bayeuxd.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar under an open-file limit of {@value #FILE_LIMIT} ({@code ulimit -n} in bash, then
 * {@code exec java}): with the cap derived from the limit, connections over it get a 503 and are counted,
 * the cap is logged once, the management port answers at the cap, nothing floods the log, and connections
 * are accepted again once some close. With {@code --max-connections 0} the limit itself is reached: the
 * failing accepts are counted, logged at most once per interval, and never reach Netty's pipeline-tail
 * warning. Run by {@code mvn verify} after {@code package}; skipped with a message without bash, a usable
 * {@code ulimit} or the jar.
 */
class FileLimitIT {
    private static final Path JAR = Path.of("target", "bayeuxd.jar").toAbsolutePath();
    private static final int FILE_LIMIT = 256;
    /** More sockets than the broker can hold under the limit; the loops stop well before on success. */
    private static final int MAX_SOCKETS = 400;
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;
    private Process broker;
    private Path log;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        closeAll();
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void overTheDerivedCapConnectionsGet503AndTheManagementPortStillAnswers() throws Exception {
        int port = freePort();
        int management = freePort();
        start(port, management);

        int refused = 0;
        int refusalsWanted = 20;
        for (int i = 0; i < MAX_SOCKETS && refused < refusalsWanted; i++) {
            Socket s = connect(port);
            Response r = request(s, "/healthz");
            if (r.status() == 200) {
                sockets.add(s);   // held open, keep-alive: it counts against the cap
            } else {
                assertThat(r.status()).as("over the cap: %s", r.head()).isEqualTo(503);
                assertThat(r.head()).containsIgnoringCase("\r\nRetry-After: 5\r\n");
                assertThat(r.body()).isEqualTo("Too many connections");
                s.close();
                refused++;
            }
        }
        assertThat(refused).as("refusals before %d sockets", MAX_SOCKETS).isEqualTo(refusalsWanted);

        try (Socket probe = connect(management)) {
            assertThat(request(probe, "/healthz").status()).as("management /healthz at the cap").isEqualTo(200);
            Scrape metrics = Scrape.parse(request(probe, "/metrics").body());
            assertThat(metrics.get("bayeux_connections_max")).as("the cap is what the held connections reached")
                    .isEqualTo(sockets.size());
            assertThat(metrics.get("bayeux_connections_refused_total{reason=\"max_connections\"}")).isEqualTo(refused);
            assertThat(metrics.get("bayeux_accept_failures_total{reason=\"file_limit\"}")).as("the limit itself never reached").isZero();
        }

        String output = Files.readString(log);
        assertThat(lines(output, "Connection cap " + sockets.size() + " from the open-file limit " + FILE_LIMIT))
                .as("the cap logged once:%n%s", output).isEqualTo(1);
        assertThat(lines(output, "Refusing connection")).as("refusals logged at most once per interval").isBetween(1, refused - 1);
        assertThat(output).doesNotContain("reached the tail of the pipeline").doesNotContainIgnoringCase("too many open files");

        closeAll();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Socket again = connect(port)) {
                assertThat(request(again, "/healthz").status()).isEqualTo(200);
            }
        });
    }

    @Test
    void withoutACapTheFailingAcceptsAreCountedAndLoggedOncePerInterval() throws Exception {
        int port = freePort();
        int management = freePort();
        start(port, management, "--max-connections", "0");
        // Opened before the limit is reached: at the limit the broker cannot accept another.
        Socket probe = connect(management);
        sockets.add(probe);
        assertThat(request(probe, "/healthz").status()).isEqualTo(200);

        // The kernel completes connections the broker cannot accept and queues them in the backlog.
        for (int i = 0; i < MAX_SOCKETS; i++) {
            sockets.add(connect(port));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                Scrape.parse(request(probe, "/metrics").body()).get("bayeux_accept_failures_total{reason=\"file_limit\"}"))
                .as("accepts that failed at the limit").isGreaterThanOrEqualTo(3));
        assertThat(request(probe, "/healthz").status()).as("an open management connection still answers").isEqualTo(200);

        String output = Files.readString(log);
        assertThat(lines(output, "no connection cap (--max-connections 0)")).isEqualTo(1);
        int warnings = lines(output, "Cannot accept connections");
        double failures = Scrape.parse(request(probe, "/metrics").body()).get("bayeux_accept_failures_total{reason=\"file_limit\"}");
        assertThat(warnings).as("failing accepts logged at most once per interval:%n%s", output).isBetween(1, (int) failures - 1);
        assertThat(lines(output, "too many open files")).isEqualTo(warnings);
        assertThat(output).doesNotContain("reached the tail of the pipeline");

        closeAll();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Socket again = connect(port)) {
                assertThat(request(again, "/healthz").status()).isEqualTo(200);
            }
        });
    }

    private void start(int port, int management, String... more) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "target/bayeuxd.jar missing: run after `mvn package`");
        Assumptions.assumeTrue(limitApplies(), "bash with `ulimit -n " + FILE_LIMIT + "` is not usable here: file-limit test skipped");
        StringBuilder command = new StringBuilder("ulimit -n " + FILE_LIMIT + " && exec \"$0\" -jar \"$1\" --host 127.0.0.1 --port "
                + port + " --management-port " + management);
        for (String arg : more) {
            command.append(' ').append(arg);
        }
        log = dir.resolve("broker.log");
        broker = new ProcessBuilder("bash", "-c", command.toString(), JAVA, JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(broker.isAlive()).as("broker running:%n%s", Files.readString(log)).isTrue();
            try (Socket s = connect(management)) {
                assertThat(request(s, "/readyz").status()).isEqualTo(200);
            }
        });
    }

    /** Whether bash runs here and lowers the open-file limit as asked. */
    private static boolean limitApplies() {
        try {
            Process p = new ProcessBuilder("bash", "-c", "ulimit -n " + FILE_LIMIT + " && ulimit -n").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals(Integer.toString(FILE_LIMIT));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int lines(String output, String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return (int) output.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains(wanted)).count();
    }

    private void closeAll() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Response(int status, String head, String body) {
    }

    /**
     * One keep-alive GET and its response, read by its {@code Content-Length} rather than to the end: a
     * refused connection is closed right after its 503, possibly with a reset, which comes after the 503's bytes.
     */
    private static Response request(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(headers.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
    }
}
