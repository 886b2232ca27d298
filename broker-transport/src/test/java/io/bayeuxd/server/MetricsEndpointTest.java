package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code GET /metrics} on a running server: the counters move by what real traffic did, the output
 * passes {@code promtool check metrics}, and every metric the operations guide and the Grafana
 * dashboard name is served (and every one served is documented).
 */
class MetricsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCS = Path.of("..", "docs");
    private static BrokerServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        // Sessions expire after twice the timeout: long enough that none left by one test expires during another.
        server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(60_000).build()).build()).start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Scrape scrape() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return Scrape.parse(r.body());
    }

    private static JsonNode post(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void countersMoveByWhatTheTrafficDid() throws Exception {
        Scrape before = scrape();
        int n = 5;
        try (WsClient ws = new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/"))) {
            ws.send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]");
            String wsId = ws.nextOn("/meta/handshake").get("clientId").asText();
            ws.send("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + wsId + "\",\"subscription\":\"/m/news\"}]");
            ws.nextOn("/meta/subscribe");
            ws.send("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + wsId + "\",\"connectionType\":\"websocket\"}]");
            String pollId = post("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                    .get(0).get("clientId").asText();
            post("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + pollId + "\",\"subscription\":\"/m/*\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().engine().session(wsId).target() != null);

            for (int i = 0; i < n; i++) {
                post("{\"channel\":\"/m/news\",\"data\":" + i + "}");
            }
            for (int i = 0; i < n; i++) {
                assertThat(ws.nextOn("/m/news").get("data").asInt()).isEqualTo(i);
            }
            JsonNode poll = post("{\"channel\":\"/meta/connect\",\"clientId\":\"" + pollId + "\",\"connectionType\":\"long-polling\"}");
            assertThat(poll).hasSize(1 + n);
            JsonNode unknown = post("{\"channel\":\"/meta/connect\",\"clientId\":\"nobody\",\"connectionType\":\"long-polling\"}");
            assertThat(unknown.get(0).get("error").asText()).startsWith("401:");

            Scrape after = scrape();
            assertThat(after.delta(before, "bayeux_handshakes_total")).isEqualTo(2);
            assertThat(after.delta(before, "bayeux_subscribes_total")).isEqualTo(2);
            assertThat(after.delta(before, "bayeux_connects_total")).isEqualTo(2);
            assertThat(after.delta(before, "bayeux_messages_published_total")).isEqualTo(n);
            assertThat(after.delta(before, "bayeux_deliveries_queued_total")).isEqualTo(2 * n);
            assertThat(after.delta(before, "bayeux_messages_written_total{transport=\"websocket\"}")).isEqualTo(n);
            assertThat(after.delta(before, "bayeux_messages_written_total{transport=\"http\"}")).isEqualTo(n);
            assertThat(after.delta(before, "bayeux_frames_written_total{transport=\"http\"}")).isEqualTo(1);
            double wsFrames = after.delta(before, "bayeux_frames_written_total{transport=\"websocket\"}");
            assertThat(wsFrames).isBetween(1.0, (double) n);
            // One latency and one backlog observation per frame; the poll found all n waiting.
            assertThat(after.delta(before, "bayeux_delivery_latency_seconds_count{transport=\"websocket\"}")).isEqualTo(wsFrames);
            assertThat(after.delta(before, "bayeux_delivery_latency_seconds_count{transport=\"http\"}")).isEqualTo(1);
            assertThat(after.delta(before, "bayeux_outbox_depth_count{transport=\"http\"}")).isEqualTo(1);
            assertThat(after.delta(before, "bayeux_outbox_depth_sum{transport=\"http\"}")).isEqualTo(n);
            assertThat(after.delta(before, "bayeux_errors_total{code=\"401\"}")).isEqualTo(1);
            assertThat(after.delta(before, "bayeux_errors_total{code=\"402\"}")).isZero();
            assertThat(after.delta(before, "bayeux_errors_total{code=\"other\"}")).isZero();
            assertThat(after.delta(before, "bayeux_messages_dropped_total{reason=\"slow_consumer\"}")).isZero();
            assertThat(after.get("bayeux_connections{transport=\"websocket\"}")).isEqualTo(1);
            assertThat(after.get("bayeux_connections{transport=\"http\"}")).isGreaterThanOrEqualTo(1);
            // The other tests share this server: gauges are compared with the first scrape too.
            assertThat(after.delta(before, "bayeux_sessions")).isEqualTo(2);
            assertThat(after.delta(before, "bayeux_subscriptions")).isEqualTo(2);
            assertThat(after.delta(before, "bayeux_channels")).as("/m/news and /m/*").isEqualTo(2);
            assertThat(after.delta(before, "bayeux_outbox_messages")).isZero();
            assertThat(after.get("bayeux_ready")).isEqualTo(1);
            assertThat(after.delta(before, "bayeux_received_bytes_total")).isGreaterThan(n * 30);
            assertThat(after.delta(before, "bayeux_sent_bytes_total")).isGreaterThan(n * 30);

            post("[{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + pollId + "\"},"
                    + "{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + wsId + "\"}]");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape closed = scrape();
            assertThat(closed.get("bayeux_connections{transport=\"websocket\"}")).isZero();
            assertThat(closed.delta(before, "bayeux_disconnects_total")).isEqualTo(2);
            assertThat(closed.delta(before, "bayeux_sessions")).isZero();
        });
    }

    @Test
    void outboxGaugesShowWhatWaitsForAbsentClients() throws Exception {
        String id = post("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}")
                .get(0).get("clientId").asText();
        post("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/waiting\"}");
        post("[{\"channel\":\"/waiting\",\"data\":1},{\"channel\":\"/waiting\",\"data\":2},{\"channel\":\"/waiting\",\"data\":3}]");
        Scrape s = scrape();
        assertThat(s.get("bayeux_outbox_messages")).isGreaterThanOrEqualTo(3);
        assertThat(s.get("bayeux_outbox_messages_largest")).isGreaterThanOrEqualTo(3);
        Scrape before = s;
        post("{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}");
        assertThat(scrape().delta(before, "bayeux_messages_dropped_total{reason=\"session_closed\"}")).isEqualTo(3);
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> r = get("/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.body()).contains("bayeux_messages_published_total ").endsWith("# EOF\n");
    }

    @Test
    void healthAndReadinessWhileServing() throws Exception {
        assertThat(get("/healthz")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ok\n");
        assertThat(get("/readyz")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ready\n");
    }

    @Test
    void outputPassesPromtool() throws Exception {
        File promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not on PATH (Debian package 'prometheus'); skipping the lint of /metrics");
        // Some traffic and a collection first, so that histograms, per-transport series and the GC
        // meters that appear with the first collection are in the scrape too.
        post("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]},{\"channel\":\"/lint\",\"data\":1}]");
        System.gc();
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().text().contains("jvm_gc_pause_seconds"));
        String text = scrape().text();
        Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics said:%n%s", out).isZero();
    }

    @Test
    void everyMetricTheDocsNameIsServedAndEveryServedOneIsDocumented() throws Exception {
        Set<String> served = scrape().names();
        Set<String> documented = metricNames(Files.readString(DOCS.resolve("operations.md")));
        Set<String> dashboard = metricNames(Files.readString(DOCS.resolve("grafana-dashboard.json")));
        assertThat(dashboard).isNotEmpty();
        for (String name : union(documented, dashboard)) {
            assertThat(served).as("%s is named in the docs", name).containsAnyOf(name, name + "_count", name + "_total");
        }
        for (String name : served) {
            if (name.startsWith("bayeux_")) {
                String family = name.replaceAll("_(bucket|count|sum|max)$", "");
                assertThat(documented).as("%s is served; docs/operations.md must list it", name).containsAnyOf(name, family);
            }
        }
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\bbayeux_[a-z0-9_]*[a-z0-9]").matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static File onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, command);
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }
}
