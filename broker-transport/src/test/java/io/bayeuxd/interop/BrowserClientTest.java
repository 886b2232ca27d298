package io.bayeuxd.interop;

import io.bayeuxd.server.BrokerServer;
import io.bayeuxd.server.CommandLineConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs Faye's browser client and Webix's {@code faye->} data proxy in headless Chromium against this broker
 * ({@code interop/browser}): pages from another origin load the client from the broker's {@code /client.js}
 * and talk to it over WebSocket, cross-origin long-polling and callback-polling; Webix 6.4.0 with its own
 * proxy, current Webix with ours ({@code /webix/faye-proxy.js}), and the broker's demo ({@code /demo/}, with
 * Webix from {@code --static}). The broker is configured with the flags an operator would type, among them
 * {@code --state-channels '/data/**'}, so that a page opened late gets the current records. Skipped with a
 * message where Node, the suite's {@code node_modules} or Debian's Chromium are missing ({@code .ci/run}
 * installs all three).
 *
 * <p>Screenshots of the pages go to {@code target/browser-screenshots}; with {@code -Dbayeuxd.writeDocs=true}
 * the demo's also to {@code docs/webix-demo.png}.
 */
class BrowserClientTest {
    private static final Path SUITE = Path.of("..", "interop", "browser").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots").toAbsolutePath();
    private static final Path DOCS_SCREENSHOT = Path.of("..", "docs", "webix-demo.png").toAbsolutePath().normalize();
    /** The channels whose records the broker keeps: the Webix tests' lists live below /data/. */
    private static final String STATE_CHANNELS = "/data/**";

    @TempDir
    static Path tmp;
    private static BrokerServer server;
    /** Why the test cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        missing = missingPrerequisite();
        if (missing != null) {
            return; // the test itself skips, so that the reason shows in Surefire's report
        }
        String[] args = {"--host", "127.0.0.1", "--port", "0",
                // A short hold: when Faye's WebSocket opens only after its first /meta/connect went by JSONP,
                // the test waits for that connect to come back before it goes on (interop/browser/test, connect()).
                "--timeout", "5",
                "--client-dir", SUITE.resolve("node_modules").resolve("faye").resolve("client").toString(),
                "--static", demoSite().toString(),
                "--state-channels", STATE_CHANNELS};
        server = new BrokerServer(CommandLineConfigs.parse(args)).start();
        server.addExtension(new TokenExtension());
    }

    /**
     * The {@code --static} directory the demo needs: {@code webix/} with current Webix's script, styles and
     * fonts, copied (a link out of the directory would not be served).
     */
    private static Path demoSite() throws IOException {
        Path webix = SUITE.resolve("node_modules").resolve("webix-current");
        Path target = Files.createDirectories(tmp.resolve("site").resolve("webix"));
        for (String file : List.of("webix.js", "webix.css")) {
            Files.copy(webix.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> fonts = Files.walk(webix.resolve("fonts"))) {
            for (Path from : (Iterable<Path>) fonts::iterator) {
                Path to = target.resolve(webix.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target.getParent();
    }

    private static String missingPrerequisite() {
        if (!NodeTestRun.toolRuns("node", "--version")) {
            return "node is not installed: browser interop test skipped";
        }
        if (!Files.isDirectory(SUITE.resolve("node_modules").resolve("playwright-core"))
                || !Files.isDirectory(SUITE.resolve("node_modules").resolve("webix-current"))) {
            return "interop/browser/node_modules missing or stale (run `npm ci` in interop/browser): browser interop test skipped";
        }
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " missing (apt-get install chromium): browser interop test skipped";
        }
        return null;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fayeBrowserClientAndWebixProxiesWorkInChromium() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        Map<String, String> env = new HashMap<>(Map.of("BAYEUX_URL", "http://127.0.0.1:" + server.port() + "/",
                "CHROMIUM_PATH", CHROMIUM.toString(), "ARTIFACTS_DIR", SCREENSHOTS.toString(),
                "STATE_CHANNELS", STATE_CHANNELS));
        if (Boolean.getBoolean("bayeuxd.writeDocs")) {
            env.put("DOCS_SCREENSHOT", DOCS_SCREENSHOT.toString());
        }
        NodeTestRun.assertPasses(SUITE, env, Duration.ofMinutes(5), "browser test run");
    }

    /**
     * The issue's fourth page: what a page saved is shown by a page opened after the broker restarted
     * with the same {@code --data-dir}. A broker of its own, started twice on one port.
     */
    @Test
    void aPageOpenedAfterARestartWithADataDirShowsTheList() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        Path data = tmp.resolve("data");
        String channel = "/data/restart";
        int port;
        try (BrokerServer first = restartable(0, data)) {
            port = first.port();
            NodeTestRun.assertPasses(SUITE, "test-restart/", restartEnv(port, "save", channel), Duration.ofMinutes(2),
                    "saving through the demo before the restart");
        }
        try (BrokerServer second = restartable(port, data)) {
            NodeTestRun.assertPasses(SUITE, "test-restart/", restartEnv(port, "show", channel), Duration.ofMinutes(2),
                    "the demo after the restart");
        }
    }

    private static BrokerServer restartable(int port, Path data) throws IOException, InterruptedException {
        return new BrokerServer(CommandLineConfigs.parse(new String[] {"--host", "127.0.0.1", "--port", Integer.toString(port),
                "--timeout", "5", "--client-dir", SUITE.resolve("node_modules").resolve("faye").resolve("client").toString(),
                "--static", tmp.resolve("site").toString(), "--state-channels", "/data/*",
                "--data-dir", data.toString(), "--data-fsync", "always"})).start();
    }

    private static Map<String, String> restartEnv(int port, String phase, String channel) {
        return Map.of("BAYEUX_URL", "http://127.0.0.1:" + port + "/", "CHROMIUM_PATH", CHROMIUM.toString(),
                "ARTIFACTS_DIR", SCREENSHOTS.toString(), "RESTART_PHASE", phase, "RESTART_CHANNEL", channel);
    }
}
