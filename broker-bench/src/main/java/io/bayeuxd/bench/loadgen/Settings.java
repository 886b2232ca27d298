package io.bayeuxd.bench.loadgen;

/** Validation shared by the settings of the load generator and the soak. */
public final class Settings {

    private Settings() {
    }

    /** @throws IllegalArgumentException with {@code message} unless {@code condition} holds */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
