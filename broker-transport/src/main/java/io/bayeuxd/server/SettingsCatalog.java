package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerSettings;
import io.bayeuxd.config.Setting;
import io.bayeuxd.transport.TransportSettings;

import java.util.List;

/**
 * Every setting of {@code bayeuxd}, in the order {@code --help} and {@code docs/configuration.md} list
 * them. The declarations themselves live beside the config each one feeds.
 */
final class SettingsCatalog {
    static final List<Setting<?>> ALL = List.of(
            ServerSettings.CONFIG,
            ServerSettings.PORT,
            ServerSettings.HOST,
            TransportSettings.MOUNT,
            BrokerSettings.TIMEOUT,
            TransportSettings.PING,
            TransportSettings.ALLOWED_ORIGINS,
            TransportSettings.MAX_MESSAGE_BYTES,
            ServerSettings.DRAIN_TIMEOUT,
            ServerSettings.IO_THREADS,
            TransportSettings.IDLE_TIMEOUT,
            BrokerSettings.OUTBOX_CAPACITY,
            BrokerSettings.SLOW_CONSUMER,
            BrokerSettings.MAX_SUBSCRIPTIONS,
            BrokerSettings.MAX_CHANNEL_LENGTH,
            BrokerSettings.MAX_CHANNEL_DEPTH,
            BrokerSettings.PUBLISH_RATE,
            BrokerSettings.HANDSHAKE_RATE,
            ServerSettings.MAX_CONNECTIONS,
            ServerSettings.MAX_CONNECTIONS_PER_ADDRESS,
            BrokerSettings.REQUIRE_HANDSHAKE,
            TransportSettings.JSONP,
            TransportSettings.WEBSOCKET_COMPRESSION,
            TransportSettings.WEBSOCKET_COMPRESS_ONCE,
            ServerSettings.SECURITY_FILE,
            ServerSettings.JWT_SECRET,
            ServerSettings.JWT_PUBLIC_KEY,
            ServerSettings.JWT_JWKS_FILE,
            ServerSettings.JWT_CLOCK_SKEW,
            ServerSettings.AUTH_WEBHOOK,
            ServerSettings.AUTH_WEBHOOK_TIMEOUT,
            BrokerSettings.STRIP_EXT_FIELDS,
            BrokerSettings.HISTORY_CHANNELS,
            BrokerSettings.STATE_CHANNELS,
            BrokerSettings.STATE_MAX_RECORDS,
            BrokerSettings.STATE_MAX_BYTES,
            BrokerSettings.MAX_STORED_CHANNELS,
            BrokerSettings.DATA_DIR,
            BrokerSettings.DATA_FSYNC,
            BrokerSettings.PRESENCE_CHANNELS,
            TransportSettings.TRUSTED_PROXIES,
            ServerSettings.TLS_CERT,
            ServerSettings.TLS_KEY,
            ServerSettings.MANAGEMENT_PORT,
            ServerSettings.MANAGEMENT_HOST,
            ServerSettings.API_KEY,
            TransportSettings.CLIENT_DIR,
            TransportSettings.STATIC_DIR,
            ServerSettings.LOG_FORMAT,
            ServerSettings.HEAP_RETURN_INTERVAL,
            ServerSettings.ENGINE,
            ServerSettings.REDIS_URL);

    private SettingsCatalog() {
    }
}
