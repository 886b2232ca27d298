package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.config.Setting;
import io.bayeuxd.transport.TransportSettings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every declared setting is on the command line and in the docs, once. */
class SettingsCatalogTest {
    @Test
    void everyDeclarationIsInTheCatalogOnce() throws Exception {
        List<Setting<?>> declared = new ArrayList<>();
        for (Class<?> declarations : List.of(BrokerSettings.class, TransportSettings.class, ServerSettings.class)) {
            for (Field f : declarations.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                    declared.add((Setting<?>) f.get(null));
                }
            }
        }
        assertThat(SettingsCatalog.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
        assertThat(SettingsCatalog.ALL.stream().map(Setting::name)).doesNotHaveDuplicates();
    }

    @Test
    void theNamesAreTheOnesUsersHaveAlwaysTyped() {
        assertThat(SettingsCatalog.ALL.stream().map(Setting::flag)).containsExactly("--config", "--port", "--host", "--mount",
                "--timeout", "--ping", "--allowed-origins", "--max-message-bytes", "--drain-timeout", "--io-threads",
                "--idle-timeout", "--outbox-capacity", "--slow-consumer", "--max-subscriptions", "--max-channel-length",
                "--max-channel-depth", "--publish-rate", "--handshake-rate", "--max-connections",
                "--max-connections-per-address", "--require-handshake", "--jsonp", "--websocket-compression", "--websocket-compress-once",
                "--security-file",
                "--jwt-secret", "--jwt-public-key", "--jwt-jwks-file", "--jwt-clock-skew", "--auth-webhook", "--auth-webhook-timeout", "--strip-ext-fields",
                "--history-channels", "--state-channels", "--state-max-records", "--state-max-bytes", "--max-stored-channels",
                "--data-dir", "--data-fsync", "--presence-channels",
                "--trusted-proxies", "--tls-cert", "--tls-key", "--management-port", "--management-host", "--api-key",
                "--client-dir", "--static",
                "--log-format", "--heap-return-interval", "--engine", "--redis-url");
        assertThat(ServerSettings.REDIS_URL.envVar()).isEqualTo("BAYEUXD_REDIS_URL");
        assertThat(ServerSettings.API_KEY.envVar()).isEqualTo("BAYEUXD_API_KEY");
        assertThat(TransportSettings.MAX_MESSAGE_BYTES.envVar()).isEqualTo("BAYEUXD_MAX_MESSAGE_BYTES");
    }
}
