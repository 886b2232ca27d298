package io.bayeuxd.server;

import java.util.Map;

/**
 * Opens {@code BrokerMain}'s parsing to tests of other packages, so that they configure a broker with the
 * flags an operator types: a test written against a flag keeps working whatever builder method the flag
 * ends up calling.
 */
public final class CommandLineConfigs {
    private CommandLineConfigs() {
    }

    /**
     * The config {@code bayeuxd ARGS} would run with, the environment left out.
     *
     * @throws IllegalArgumentException with the one line {@code bayeuxd} would print
     */
    public static ServerConfig parse(String... args) {
        return BrokerMain.parse(args, Map.of());
    }
}
