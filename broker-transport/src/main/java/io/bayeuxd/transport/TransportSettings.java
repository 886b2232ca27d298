package io.bayeuxd.transport;

import io.bayeuxd.config.Setting;
import io.bayeuxd.config.Unit;
import io.bayeuxd.config.ValueType;

import java.nio.file.Path;
import java.util.List;

/**
 * The HTTP and WebSocket settings, declared once: {@link TransportConfig.Builder} takes its defaults and
 * checks from here, and the command line and the docs list them from here.
 */
public final class TransportSettings {
    public static final Setting<String> MOUNT = Setting.named("mount", ValueType.TEXT)
            .defaultValue("/").rule(m -> m.startsWith("/"), "must start with /")
            .description("path served, with every path below it (Faye's `mount`); `/metrics`, `/healthz`, `/readyz` are reserved")
            .build();

    public static final Setting<Long> PING = Setting.named("ping", ValueType.LONG)
            .defaultValue(0L).unit(Unit.SECONDS).atLeast(0)
            .description("seconds between WebSocket ping frames on an idle socket; 0 for none (Faye's `ping`)")
            .build();

    public static final Setting<List<String>> ALLOWED_ORIGINS = Setting.named("allowed-origins", ValueType.LIST)
            .defaultValue(List.of()).noDefault("any")
            .description("comma-separated `Origin`s allowed for CORS and WebSocket upgrades; others get 403; empty allows any")
            .build();

    public static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.named("max-message-bytes", ValueType.INTEGER)
            .defaultValue(1024 * 1024).unit(Unit.BYTES).atLeast(1024)
            .description("largest HTTP body (413 above, before buffering) or WebSocket message (close 1009)")
            .build();

    /** -1, the default, follows the connect timeout: a held poll must never look idle. */
    public static final Setting<Long> IDLE_TIMEOUT = Setting.named("idle-timeout", ValueType.LONG)
            .defaultValue(TransportConfig.IDLE_FOLLOWS_CONNECT_TIMEOUT).unit(Unit.SECONDS).atLeast(0)
            .special(TransportConfig.IDLE_FOLLOWS_CONNECT_TIMEOUT, "`--timeout` + " + TransportConfig.IDLE_SLACK_MS / 1000)
            .description("seconds without a byte from a client before its connection is closed; -1 for `--timeout` + "
                    + TransportConfig.IDLE_SLACK_MS / 1000 + ", 0 for never")
            .build();

    public static final Setting<Boolean> JSONP = Setting.named("jsonp", ValueType.BOOLEAN)
            .defaultValue(true)
            .description("serve JSONP callback-polling; `false` stops offering it and answers such requests 400")
            .build();

    public static final Setting<Boolean> WEBSOCKET_COMPRESSION = Setting.named("websocket-compression", ValueType.BOOLEAN)
            .defaultValue(true)
            .description("accept `permessage-deflate` (RFC 7692) from WebSocket clients that offer it, as a Faye server "
                    + "given the npm `permessage-deflate` extension does; the broker always answers "
                    + "`server_no_context_takeover`, so no deflater outlives the frame it compresses "
                    + "([cost and figures](benchmarks-compression.md)); `false` negotiates no extension")
            .build();

    public static final Setting<Boolean> WEBSOCKET_COMPRESS_ONCE = Setting.named("websocket-compress-once", ValueType.BOOLEAN)
            .defaultValue(true)
            .description("with `permessage-deflate` negotiated, compress each published message once, when the first "
                    + "compressed socket sends it, and share the compressed bytes with every other compressed socket "
                    + "([how](benchmarks-compression.md#compress-once)); `false` leaves every frame to a deflater per "
                    + "connection, as before (for measuring)")
            .build();

    public static final Setting<List<String>> TRUSTED_PROXIES = Setting.named("trusted-proxies", ValueType.LIST)
            .defaultValue(List.of())
            .description("proxy IPs whose `X-Forwarded-For` / `Forwarded` give the client address used by limits and logs")
            .build();

    public static final Setting<Path> CLIENT_DIR = Setting.named("client-dir", ValueType.PATH)
            .description("the `faye` npm package's `client` directory: `<mount>/client.js` (and `<mount>.js`) answers "
                    + "with its `faye-browser-min.js`, every `*.js`/`*.map` in it by name, as Faye serves its browser "
                    + "client; without it such paths get 404. `scripts/run.sh` installs the pinned package in `client/` "
                    + "and sets this")
            .build();

    public static final Setting<Path> STATIC_DIR = Setting.named("static", ValueType.PATH)
            .description("a directory whose files are served at their path under the mount (`GET`/`HEAD`; `index.html` "
                    + "for a directory; 403 for a path with a dot segment or leading outside it, symbolic links followed; "
                    + "404 for what is missing); never instead of the Bayeux endpoint, `/client.js`, `/metrics`, "
                    + "`/healthz`, `/readyz`, `/webix/faye-proxy.js` or `/demo/` ([webix](webix.md)). "
                    + "`scripts/run.sh` sets it to `client/node_modules`, for the demo's Webix")
            .build();

    private TransportSettings() {
    }
}
