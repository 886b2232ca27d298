package io.bayeuxd.bench.loadgen;

import java.util.Locale;

/** The Bayeux transports the generator speaks, named as in {@code supportedConnectionTypes}. */
public enum TransportKind {
    WEBSOCKET("websocket"),
    LONG_POLLING("long-polling");

    private final String bayeuxName;

    TransportKind(String bayeuxName) {
        this.bayeuxName = bayeuxName;
    }

    /** The {@code connectionType} value sent in {@code /meta/connect}. */
    public String bayeuxName() {
        return bayeuxName;
    }

    public static TransportKind fromName(String name) {
        String normalized = name.trim().toLowerCase(Locale.ROOT);
        for (TransportKind kind : values()) {
            if (kind.bayeuxName.equals(normalized) || kind.name().equalsIgnoreCase(normalized)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "': expected websocket or long-polling");
    }

    @Override
    public String toString() {
        return bayeuxName;
    }
}
