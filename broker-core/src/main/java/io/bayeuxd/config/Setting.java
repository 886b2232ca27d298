package io.bayeuxd.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting, declared once: its name (the flag without dashes, which is also its config-file key), value
 * type, default, unit, environment variable, description and validation. The command line, the builders'
 * defaults and checks, and the docs' table are derived from it.
 *
 * <p>Durations are declared in seconds, as the command line takes them; the builders hold milliseconds and
 * use {@link #defaultMillis()} and {@link #checkMillis(long)}.
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {
    private static final String ENV_PREFIX = "BAYEUXD_";

    private final String name;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String noDefault;
    private final Unit unit;
    private final String description;
    private final long min;
    private final long max;
    private final Map<Long, String> specialValues;
    private final Predicate<T> rule;
    private final String ruleText;
    private final boolean secret;

    private Setting(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.noDefault = b.noDefault;
        this.unit = b.unit;
        this.description = Objects.requireNonNull(b.description, "description of " + b.name);
        this.min = b.min;
        this.max = b.max;
        this.specialValues = Map.copyOf(b.specialValues);
        this.rule = b.rule;
        this.ruleText = b.ruleText;
        this.secret = b.secret;
        if (defaultValue != null) {
            check(defaultValue);
        }
    }

    /** Starts the declaration of the setting {@code --name}. */
    public static <T> Builder<T> named(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    /** The flag's name without dashes, and the key in the config file: {@code max-message-bytes}. */
    public String name() {
        return name;
    }

    /** {@code --max-message-bytes}. */
    public String flag() {
        return "--" + name;
    }

    /** {@code BAYEUXD_MAX_MESSAGE_BYTES}. */
    public String envVar() {
        return envVarOf(name);
    }

    /** The environment variable of a flag name, with or without its dashes. */
    public static String envVarOf(String flagName) {
        return ENV_PREFIX + flagName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public ValueType<T> type() {
        return type;
    }

    public Unit unit() {
        return unit;
    }

    /** The default, or null when the setting is unset unless given. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the command line would write it, or null for none. */
    public String defaultText() {
        return defaultValue == null ? null : type.format(defaultValue);
    }

    /** What leaving the setting unset means when it has no default value: "none", "any", "`--host`". */
    public String noDefault() {
        return noDefault;
    }

    /** What the setting does, in Markdown (the docs' table shows it as is, {@code --help} as plain text). */
    public String description() {
        return description;
    }

    /** {@link #description()} without Markdown: links keep their text, code spans lose their backticks. */
    public String plainDescription() {
        return description.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").replace("`", "");
    }

    /** The default of a duration, in milliseconds (a special value such as -1 is kept as it is). */
    public long defaultMillis() {
        return toMillis(((Number) defaultValue).longValue());
    }

    /**
     * A duration given in seconds, in milliseconds. A special value keeps its meaning and so its number:
     * -1 seconds meaning "follow the connect timeout" stays -1.
     */
    public long toMillis(long seconds) {
        requireSeconds();
        return specialValues.containsKey(seconds) ? seconds : Math.multiplyExact(seconds, 1000L);
    }

    /**
     * Validates a value; returns it.
     *
     * @throws IllegalArgumentException naming the flag, the rule and the value
     */
    public T check(T value) {
        if (value == null) {
            throw new IllegalArgumentException(flag() + " must be set");
        }
        if (value instanceof Number n && !specialValues.containsKey(n.longValue()) && (n.longValue() < min || n.longValue() > max)) {
            throw new IllegalArgumentException(flag() + " " + rangeText("") + ", not " + value);
        }
        if (rule != null && !rule.test(value)) {
            // A secret (a URL with a password) must not reach the logs through its own error message.
            throw new IllegalArgumentException(flag() + " " + ruleText + (secret ? "" : ", not " + type.format(value)));
        }
        return value;
    }

    /** Validates a duration the builders hold in milliseconds against the bounds declared in seconds; returns it. */
    public long checkMillis(long ms) {
        requireSeconds();
        if (specialValues.containsKey(ms)) {
            return ms;
        }
        boolean tooSmall = min != Long.MIN_VALUE && ms < min * 1000;
        boolean tooLarge = max != Long.MAX_VALUE && ms > max * 1000;
        if (tooSmall || tooLarge) {
            String seconds = ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0);
            throw new IllegalArgumentException(flag() + " " + rangeText(" s") + ", not " + seconds + " s");
        }
        return ms;
    }

    /** The validation in words, for the docs: "at least 1024", "0 to 65535; -1: none". Empty when anything goes. */
    public String ruleSummary() {
        StringBuilder s = new StringBuilder();
        if (min != Long.MIN_VALUE || max != Long.MAX_VALUE) {
            s.append(min == Long.MIN_VALUE ? "at most " + max : max == Long.MAX_VALUE ? "at least " + min : min + " to " + max);
        }
        if (ruleText != null) {
            s.append(s.length() == 0 ? "" : "; ").append(ruleText);
        }
        specialValues.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(s.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(e.getValue()));
        return s.toString();
    }

    private String rangeText(String unit) {
        String range = min == Long.MIN_VALUE ? "must be at most " + max + unit
                : max == Long.MAX_VALUE ? "must be at least " + min + unit : "must be between " + min + " and " + max + unit;
        if (specialValues.isEmpty()) {
            return range;
        }
        StringBuilder or = new StringBuilder(range).append(" (or");
        specialValues.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> or.append(' ').append(e.getKey()).append(": ").append(e.getValue()));
        return or.append(')').toString();
    }

    private void requireSeconds() {
        if (unit != Unit.SECONDS) {
            throw new IllegalStateException(flag() + " is not a duration");
        }
    }

    @Override
    public String toString() {
        return flag();
    }

    /** A declaration under way; {@link #build()} checks that the default obeys the setting's own rules. */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private T defaultValue;
        private String noDefault = "none";
        private Unit unit = Unit.NONE;
        private String description;
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private final Map<Long, String> specialValues = new LinkedHashMap<>();
        private Predicate<T> rule;
        private String ruleText;
        private boolean secret;

        private Builder(String name, ValueType<T> type) {
            this.name = name;
            this.type = type;
        }

        public Builder<T> defaultValue(T v) { defaultValue = v; return this; }
        /** What an unset setting means, for one without a default value. */
        public Builder<T> noDefault(String meaning) { noDefault = meaning; return this; }
        public Builder<T> unit(Unit v) { unit = v; return this; }
        public Builder<T> description(String markdown) { description = markdown; return this; }
        public Builder<T> atLeast(long v) { min = v; return this; }
        public Builder<T> between(long low, long high) { min = low; max = high; return this; }
        /** A number outside the range that is still allowed, with its meaning: {@code -1}, "none". */
        public Builder<T> special(long value, String meaning) { specialValues.put(value, meaning); return this; }
        /** A rule beyond the range, and how to say it: "must start with /". */
        public Builder<T> rule(Predicate<T> test, String text) { rule = test; ruleText = text; return this; }

        /** The value may hold a password: errors do not repeat it. */
        public Builder<T> secret() { secret = true; return this; }

        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
