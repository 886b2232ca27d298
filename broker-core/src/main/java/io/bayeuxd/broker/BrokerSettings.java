package io.bayeuxd.broker;

import io.bayeuxd.config.Setting;
import io.bayeuxd.config.Unit;
import io.bayeuxd.config.ValueType;
import io.bayeuxd.storage.StorageLog;
import io.bayeuxd.storage.StorageRules;

import java.nio.file.Path;

import java.util.List;
import java.util.Map;

/**
 * The protocol settings, declared once: {@link BrokerConfig.Builder} takes its defaults and checks from
 * here, and the command line and the docs list them from here.
 */
public final class BrokerSettings {
    public static final Setting<Long> TIMEOUT = Setting.named("timeout", ValueType.LONG)
            .defaultValue(60L).unit(Unit.SECONDS).atLeast(1)
            .description("seconds a `/meta/connect` is held (Faye's `timeout`); clients silent for twice this are expired")
            .build();

    public static final Setting<Integer> OUTBOX_CAPACITY = Setting.named("outbox-capacity", ValueType.INTEGER)
            .defaultValue(4096).atLeast(2)
            .description("messages waiting per client (rounded up to a power of two) before it is a slow consumer")
            .build();

    public static final Setting<BrokerConfig.SlowConsumerPolicy> SLOW_CONSUMER = Setting.named("slow-consumer",
                    ValueType.choice(BrokerConfig.SlowConsumerPolicy.class,
                            Map.entry("drop", BrokerConfig.SlowConsumerPolicy.DROP_NEWEST),
                            Map.entry("disconnect", BrokerConfig.SlowConsumerPolicy.DISCONNECT)))
            .defaultValue(BrokerConfig.SlowConsumerPolicy.DISCONNECT)
            .description("a client whose outbox is full: `disconnect` ends its session with `advice: {reconnect: "
                    + "\"handshake\"}`, so it learns of the gap (and recovers it from history, [storage](storage.md)); "
                    + "`drop` refuses the messages that do not fit, counted but unknown to the client")
            .build();

    public static final Setting<Integer> MAX_SUBSCRIPTIONS = Setting.named("max-subscriptions", ValueType.INTEGER)
            .defaultValue(1024).atLeast(1)
            .description("subscriptions one client may hold (`403:<channel>:Too many subscriptions` above)")
            .build();

    public static final Setting<Integer> MAX_CHANNEL_LENGTH = Setting.named("max-channel-length", ValueType.INTEGER)
            .defaultValue(1024).atLeast(2)
            .description("longest channel name in characters (`405:<channel>:Invalid channel` above)")
            .build();

    public static final Setting<Integer> MAX_CHANNEL_DEPTH = Setting.named("max-channel-depth", ValueType.INTEGER)
            .defaultValue(32).atLeast(1)
            .description("most segments in a channel name (`405` above)")
            .build();

    public static final Setting<Integer> PUBLISH_RATE = Setting.named("publish-rate", ValueType.INTEGER)
            .defaultValue(0).unit(Unit.PER_SECOND).atLeast(0)
            .description("publishes per second per client, burst of the same size; 0 for no limit "
                    + "(`429:<channel>:Too many publishes` above)")
            .build();

    public static final Setting<Integer> HANDSHAKE_RATE = Setting.named("handshake-rate", ValueType.INTEGER)
            .defaultValue(0).unit(Unit.PER_SECOND).atLeast(0)
            .description("handshakes per second per client address; 0 for no limit (`429::Too many handshakes` above)")
            .build();

    public static final Setting<Boolean> REQUIRE_HANDSHAKE = Setting.named("require-handshake", ValueType.BOOLEAN)
            .defaultValue(false)
            .description("refuse publishes from clients without a live session (Faye allows them): `401`")
            .build();

    public static final Setting<List<String>> STRIP_EXT_FIELDS = Setting.named("strip-ext-fields", ValueType.LIST)
            .defaultValue(List.of("token", "authToken", "password", "secret"))
            .description("`ext` fields removed from published messages before subscribers get them; empty for none")
            .build();

    public static final Setting<List<String>> HISTORY_CHANNELS = Setting.named("history-channels", ValueType.LIST)
            .defaultValue(List.of()).noDefault("none")
            .rule(specs -> specs.stream().allMatch(StorageRules::isHistorySpec),
                    "each `PATTERN=N` or `PATTERN=N/T` (N messages, at most T seconds old), outside /meta and /service")
            .description("channels that keep their last messages, numbered, for recovery: `PATTERN=N[/T]`, comma-separated "
                    + "(e.g. `/chat/**=100/300`); see [storage](storage.md)")
            .build();

    public static final Setting<List<String>> STATE_CHANNELS = Setting.named("state-channels", ValueType.LIST)
            .defaultValue(List.of()).noDefault("none")
            .rule(patterns -> patterns.stream().allMatch(StorageRules::isStoragePattern),
                    "channels or patterns outside /meta and /service")
            .description("channel patterns whose Webix records are kept and handed to each new subscriber "
                    + "(e.g. `/data/**`); see [storage](storage.md)")
            .build();

    public static final Setting<List<String>> PRESENCE_CHANNELS = Setting.named("presence-channels", ValueType.LIST)
            .defaultValue(List.of()).noDefault("none")
            .rule(patterns -> patterns.stream().allMatch(JoinLeaveEvents::isPresencePattern),
                    "channels or patterns outside /meta, /service and /presence")
            .description("channel patterns whose subscribers' joins and leaves are published on `/presence` + the channel "
                    + "(e.g. `/chat/**`: a client subscribing to `/chat/a` is announced on `/presence/chat/a`); "
                    + "see [api](api.md#join-and-leave-events---presence-channels)")
            .build();

    public static final Setting<Integer> STATE_MAX_RECORDS = Setting.named("state-max-records", ValueType.INTEGER)
            .defaultValue(10_000).atLeast(1)
            .description("records one storage channel may hold (`407` for an insert above)")
            .build();

    public static final Setting<Long> STATE_MAX_BYTES = Setting.named("state-max-bytes", ValueType.LONG)
            .defaultValue(16L * 1024 * 1024).unit(Unit.BYTES).atLeast(1024)
            .description("bytes of records one storage channel may hold (`407` for a change above)")
            .build();

    public static final Setting<Integer> MAX_STORED_CHANNELS = Setting.named("max-stored-channels", ValueType.INTEGER)
            .defaultValue(10_000).atLeast(1)
            .description("history and storage channels kept at once; further new channels are delivered but not kept")
            .build();

    public static final Setting<Path> DATA_DIR = Setting.named("data-dir", ValueType.PATH)
            .noDefault("memory only")
            .description("directory of the append-only file that keeps history and storage channels across restarts; "
                    + "without it they live in memory only")
            .build();

    public static final Setting<StorageLog.Fsync> DATA_FSYNC = Setting.named("data-fsync",
                    ValueType.choice(StorageLog.Fsync.class,
                            Map.entry("always", StorageLog.Fsync.ALWAYS),
                            Map.entry("every-second", StorageLog.Fsync.EVERY_SECOND),
                            Map.entry("never", StorageLog.Fsync.NEVER)))
            .defaultValue(StorageLog.Fsync.EVERY_SECOND)
            .description("when `--data-dir` writes reach the disk: `always` before each publish is acknowledged, "
                    + "`every-second` (a machine crash loses at most a second), `never` (the OS decides)")
            .build();

    private BrokerSettings() {
    }
}
