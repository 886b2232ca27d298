package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.security.jwt.JwtSecurityPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings come from flags, then environment variables, then the config file, then the defaults. */
class BrokerMainTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheClassicFayeSetup() {
        ServerConfig c = BrokerMain.parse(new String[0], Map.of());
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.transport().mount()).isEqualTo("/");
        assertThat(c.broker().timeoutMs()).isEqualTo(60_000);
        assertThat(c.transport().idleTimeoutMs()).isEqualTo(90_000);
        assertThat(c.broker().connectionTypes()).contains("callback-polling", "websocket");
        assertThat(c.stripExtFields()).contains("token", "authToken");
        assertThat(c.managementPort()).as("no management port").isEqualTo(-1);
        assertThat(c.transport().clientScripts().directory()).as("no client directory").isNull();
        assertThat(c.maxConnections()).as("cap from the open-file limit").isEqualTo(ConnectionCap.AUTO);
    }

    @Test
    void maxConnectionsZeroSetExplicitlyMeansNoCap() {
        assertThat(BrokerMain.parse(new String[] {"--max-connections", "0"}, Map.of()).maxConnections()).isZero();
        assertThat(BrokerMain.parse(new String[0], Map.of("BAYEUXD_MAX_CONNECTIONS", "0")).maxConnections()).isZero();
        assertThat(BrokerMain.parse(new String[] {"--max-connections", "-1"}, Map.of()).maxConnections()).isEqualTo(ConnectionCap.AUTO);
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--max-connections", "-2"}, Map.of()))
                .hasMessageContaining("--max-connections");
    }

    @Test
    void aManagementPortListensOnTheHostUnlessGivenItsOwn() {
        ServerConfig c = BrokerMain.parse(new String[] {"--host", "10.1.2.3", "--management-port", "9090"}, Map.of());
        assertThat(c.managementPort()).isEqualTo(9090);
        assertThat(c.managementHost()).isEqualTo("10.1.2.3");
        c = BrokerMain.parse(new String[] {"--management-port", "9090"}, Map.of("BAYEUXD_MANAGEMENT_HOST", "127.0.0.1"));
        assertThat(c.managementHost()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--port", "9090", "--management-port", "9090"}, Map.of()))
                .hasMessageContaining("management port");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = dir.resolve("bayeuxd.properties");
        Files.writeString(file, "port=7000\ntimeout=30\nmount=/faye\npublish-rate=50\n");
        Map<String, String> env = Map.of("BAYEUXD_CONFIG", file.toString(), "BAYEUXD_PORT", "7100", "BAYEUXD_TIMEOUT", "20");
        ServerConfig c = BrokerMain.parse(new String[] {"--port", "7200"}, env);
        assertThat(c.port()).isEqualTo(7200);
        assertThat(c.broker().timeoutMs()).isEqualTo(20_000);
        assertThat(c.transport().mount()).isEqualTo("/faye");
        assertThat(c.broker().publishesPerSecond()).isEqualTo(50);
    }

    @Test
    void settingsForHardeningReachTheirConfigs() {
        ServerConfig c = BrokerMain.parse(new String[] {"--jsonp=false", "--slow-consumer", "disconnect", "--max-connections", "10",
                "--require-handshake", "--trusted-proxies", "10.0.0.1, 10.0.0.2", "--strip-ext-fields", ""}, Map.of());
        assertThat(c.broker().connectionTypes()).doesNotContain("callback-polling");
        assertThat(c.transport().jsonpEnabled()).isFalse();
        assertThat(c.broker().slowConsumerPolicy()).isEqualTo(BrokerConfig.SlowConsumerPolicy.DISCONNECT);
        assertThat(c.maxConnections()).isEqualTo(10);
        assertThat(c.broker().requireHandshakeToPublish()).isTrue();
        assertThat(c.transport().trustedProxies()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(c.stripExtFields()).isEmpty();
    }

    @Test
    void aWrongValueIsOneLineNamingTheSetting() throws Exception {
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--port", "eighty"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--port", "70000"}, Map.of())).hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--slow-consumer", "maybe"}, Map.of())).hasMessageContaining("--slow-consumer");
        assertThatThrownBy(() -> BrokerMain.parse(new String[0], Map.of("BAYEUXD_TIMEOUT", "soon"))).hasMessageContaining("--timeout");
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "prot=1\n");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--config", file.toString()}, Map.of()))
                .hasMessageContaining("unknown key(s) [prot]");

        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--client-dir", dir.toString()}, Map.of()))
                .hasMessageContaining("--client-dir").hasMessageContaining("faye-browser-min.js");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--static", dir.resolve("missing").toString()}, Map.of()))
                .hasMessageContaining("--static").hasMessageContaining("not a directory");
        assertThat(BrokerMain.parse(new String[] {"--static", dir.toString()}, Map.of()).transport().staticFiles().directory())
                .isEqualTo(dir.toRealPath());

        StringWriter err = new StringWriter();
        int code = BrokerMain.run(new String[] {"--mount", "no-slash"}, Map.of(), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("--mount");
    }

    @Test
    void theEngineAndItsRedisUrlComeFromFlagsEnvironmentOrFile() throws Exception {
        ServerConfig c = BrokerMain.parse(new String[0], Map.of());
        assertThat(c.engine()).isEqualTo(EngineKind.MEMORY);
        assertThat(c.redisUrl()).isNull();
        c = BrokerMain.parse(new String[] {"--engine", "redis", "--redis-url", "redis://cache:6379/0"}, Map.of());
        assertThat(c.engine()).isEqualTo(EngineKind.REDIS);
        assertThat(c.redisUrl()).isEqualTo("redis://cache:6379/0");
        c = BrokerMain.parse(new String[0], Map.of("BAYEUXD_ENGINE", "redis", "BAYEUXD_REDIS_URL", "rediss://cache:6380"));
        assertThat(c.engine()).isEqualTo(EngineKind.REDIS);
        assertThat(c.redisUrl()).isEqualTo("rediss://cache:6380");
        Path file = dir.resolve("redis.properties");
        Files.writeString(file, "engine=redis\nredis-url=redis-sentinel://s1:26379,s2:26379/main\n");
        c = BrokerMain.parse(new String[] {"--config", file.toString()}, Map.of());
        assertThat(c.engine()).isEqualTo(EngineKind.REDIS);
        assertThat(c.redisUrl()).isEqualTo("redis-sentinel://s1:26379,s2:26379/main");
        c = BrokerMain.parse(new String[] {"--engine", "redis", "--redis-url", "redis-cluster://r1:7000,r2:7001"}, Map.of());
        assertThat(c.redisUrl()).isEqualTo("redis-cluster://r1:7000,r2:7001");
    }

    @Test
    void presenceChannelsComeFromFlagsEnvironmentOrFileAndRefuseTheirOwnChannels() throws Exception {
        assertThat(BrokerMain.parse(new String[0], Map.of()).broker().presenceChannels()).isEmpty();
        assertThat(BrokerMain.parse(new String[] {"--presence-channels", "/chat/**,/lobby"}, Map.of()).broker().presenceChannels())
                .containsExactly("/chat/**", "/lobby");
        assertThat(BrokerMain.parse(new String[0], Map.of("BAYEUXD_PRESENCE_CHANNELS", "/rooms/*")).broker().presenceChannels())
                .containsExactly("/rooms/*");
        Path file = dir.resolve("presence.properties");
        Files.writeString(file, "presence-channels=/game/**\n");
        assertThat(BrokerMain.parse(new String[] {"--config", file.toString()}, Map.of()).broker().presenceChannels())
                .containsExactly("/game/**");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--presence-channels", "/presence/**"}, Map.of()))
                .hasMessageContaining("--presence-channels");
    }

    @Test
    void aRedisEngineWithoutAUsableUrlDoesNotStart() {
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--engine", "redis"}, Map.of()))
                .hasMessageContaining("--redis-url is required when --engine is redis");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--engine", "disk"}, Map.of()))
                .hasMessageContaining("--engine").hasMessageContaining("memory or redis");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--redis-url", "http://user:hunter2@cache"}, Map.of()))
                .hasMessageContaining("--redis-url must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL")
                .hasMessageNotContaining("hunter2");

        StringWriter err = new StringWriter();
        int code = BrokerMain.run(new String[] {"--engine", "redis"}, Map.of(), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("bayeuxd: invalid setting: --redis-url is required when --engine is redis "
                + "(or set BAYEUXD_REDIS_URL)");
    }

    @Test
    void theApiKeyComesFromTheFlagOrTheEnvironmentAndIsNeverRepeatedInAnError() {
        assertThat(BrokerMain.parse(new String[] {"--management-port", "9090"}, Map.of()).apiKey()).as("off by default").isNull();
        String key = "k3y-0f-at-least-16-chars";
        assertThat(BrokerMain.parse(new String[] {"--management-port", "9090", "--api-key", key}, Map.of()).apiKey()).isEqualTo(key);
        assertThat(BrokerMain.parse(new String[] {"--management-port", "9090"}, Map.of("BAYEUXD_API_KEY", key)).apiKey())
                .isEqualTo(key);

        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--management-port", "9090", "--api-key", "short-secret"}, Map.of()))
                .hasMessageContaining("--api-key must be at least 16 printable ASCII characters without spaces")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--api-key", key}, Map.of()))
                .hasMessageContaining("--api-key needs --management-port").hasMessageNotContaining(key);
    }

    @Test
    void anAuthWebhookInstallsTheAsynchronousPolicyAndExcludesTheOthers() {
        ServerConfig config = BrokerMain.parse(new String[] {"--auth-webhook", "http://127.0.0.1:9/auth",
                "--auth-webhook-timeout", "3"}, Map.of());
        assertThat(config.asyncSecurityPolicy()).isInstanceOf(io.bayeuxd.security.webhook.AuthWebhook.class);
        assertThat(config.asyncSecurityPolicy().decisionTimeoutMs()).isEqualTo(3_500);
        assertThat(BrokerMain.parse(new String[0], Map.of()).asyncSecurityPolicy()).isNull();
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--auth-webhook", "ftp://x/"}, Map.of()))
                .hasMessageContaining("--auth-webhook must be an http:// or https:// URL");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--auth-webhook", "http://127.0.0.1:9/",
                "--jwt-secret", "a-jwt-secret-of-at-least-32-bytes!"}, Map.of()))
                .hasMessageContaining("--jwt-secret and --auth-webhook exclude each other");
    }

    @Test
    void aJwtSettingInstallsTheJwtPolicyAndExcludesTheOthers() throws Exception {
        String secret = "a-jwt-secret-of-at-least-32-bytes!";
        assertThat(BrokerMain.parse(new String[] {"--jwt-secret", secret}, Map.of()).securityPolicy())
                .isInstanceOf(JwtSecurityPolicy.class);
        assertThat(BrokerMain.parse(new String[0], Map.of("BAYEUXD_JWT_SECRET", secret)).securityPolicy())
                .isInstanceOf(JwtSecurityPolicy.class);
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--jwt-secret", "short-jwt-secret"}, Map.of()))
                .hasMessageContaining("--jwt-secret must be at least 32 bytes").hasMessageNotContaining("short-jwt-secret");

        Path pem = dir.resolve("jwt.pem");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        assertThat(BrokerMain.parse(new String[] {"--jwt-public-key", pem.toString()}, Map.of()).securityPolicy())
                .isInstanceOf(JwtSecurityPolicy.class);
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\": []}");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--jwt-jwks-file", jwks.toString()}, Map.of()))
                .hasMessageContaining("--jwt-jwks-file: the JWKS holds no RSA or EC public key");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--jwt-public-key", dir.resolve("missing.pem").toString()}, Map.of()))
                .hasMessageContaining("--jwt-public-key").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> BrokerMain.parse(new String[] {"--jwt-secret", secret, "--jwt-public-key", pem.toString()}, Map.of()))
                .hasMessageContaining("--jwt-secret and --jwt-public-key exclude each other");
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new BrokerMain());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--port", "Default: 8000", "--mount", "--timeout", "--ping", "--allowed-origins",
                "--max-message-bytes", "--drain-timeout", "BAYEUXD_FLAG_NAME");
        for (io.bayeuxd.config.Setting<?> setting : SettingsCatalog.ALL) {
            assertThat(out.toString()).contains(setting.flag());
        }
    }

    @Test
    void aRedisEngineWhoseRedisCannotBeReachedStopsStartUpWithOneLine() throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        StringWriter err = new StringWriter();
        int code = BrokerMain.run(new String[] {"--host", "127.0.0.1", "--port", "0", "--engine", "redis",
                "--redis-url", "redis://127.0.0.1:" + deadPort}, Map.of(), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("bayeuxd: Redis at 127.0.0.1:" + deadPort + " cannot be reached").doesNotContain("\tat ");
    }
}
