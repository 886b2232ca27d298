package io.bayeuxd.server;

import io.bayeuxd.config.Setting;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a setting not given on the command line comes from: its environment variable
 * ({@code --max-message-bytes} is {@code BAYEUXD_MAX_MESSAGE_BYTES}), then the config file (a properties
 * file whose keys are the flag names without dashes, {@code max-message-bytes=65536}), then the built-in
 * default. So the precedence is flags, environment, file, default.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Properties file;

    private ConfigDefaults(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    /** Reads the config file, if any; throws {@link IllegalArgumentException} for an unreadable file. */
    static ConfigDefaults load(Path configFile, Map<String, String> env) {
        Properties props = new Properties();
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("config file " + configFile + " cannot be read: " + e.getMessage());
            }
        }
        return new ConfigDefaults(env, props);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec spec) {
        if (!(spec instanceof CommandLine.Model.OptionSpec option) || option.longestName().equals(ServerSettings.CONFIG.flag())) {
            return null;
        }
        String fromEnv = env.get(Setting.envVarOf(option.longestName()));
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.getProperty(option.longestName().replaceFirst("^--", ""));
    }

    /** Keys in the file that name no option: a typo there must not be silently ignored. */
    Set<String> unknownKeys(CommandLine.Model.CommandSpec spec) {
        Set<String> unknown = new TreeSet<>();
        for (String key : file.stringPropertyNames()) {
            if (spec.findOption("--" + key) == null || key.equals(ServerSettings.CONFIG.name())) {
                unknown.add(key);
            }
        }
        return unknown;
    }
}
