package io.bayeuxd.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a setting's value is written as text (on the command line, in the environment, in the config file)
 * and read back. {@link Shape} tells a command-line library how many words the value takes.
 *
 * @param <T> the value's Java type
 */
public final class ValueType<T> {
    /** How a value sits on the command line. */
    public enum Shape {
        /** One word: {@code --port 8000}. */
        SINGLE,
        /** A switch that may take {@code true} or {@code false}: {@code --jsonp}, {@code --jsonp=false}. */
        SWITCH,
        /** Comma-separated words, which may also be given by repeating the flag. */
        LIST
    }

    public static final ValueType<Integer> INTEGER = new ValueType<>("integer", "<integer>", Shape.SINGLE, Integer.class,
            text -> number(text, Integer::valueOf), String::valueOf);
    public static final ValueType<Long> LONG = new ValueType<>("integer", "<integer>", Shape.SINGLE, Long.class,
            text -> number(text, Long::valueOf), String::valueOf);
    public static final ValueType<String> TEXT = new ValueType<>("text", "<text>", Shape.SINGLE, String.class,
            Function.identity(), Function.identity());
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("`true` or `false`", "<true|false>", Shape.SWITCH,
            Boolean.class, ValueType::bool, String::valueOf);
    public static final ValueType<Path> PATH = new ValueType<>("path", "<path>", Shape.SINGLE, Path.class, Path::of,
            Path::toString);
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ValueType<List<String>> LIST = new ValueType<List<String>>("comma-separated list", "<item>",
            Shape.LIST, (Class) List.class, ValueType::split, values -> String.join(",", values));

    private final String label;
    private final String paramLabel;
    private final Shape shape;
    private final Class<T> javaType;
    private final Function<String, T> parse;
    private final Function<T, String> format;

    private ValueType(String label, String paramLabel, Shape shape, Class<T> javaType, Function<String, T> parse,
            Function<T, String> format) {
        this.label = label;
        this.paramLabel = paramLabel;
        this.shape = shape;
        this.javaType = javaType;
        this.parse = parse;
        this.format = format;
    }

    /**
     * One of a few words, each standing for a value: {@code drop} for {@code DROP_NEWEST}. The words are
     * matched exactly, as the command line has always matched them.
     */
    @SafeVarargs
    public static <T> ValueType<T> choice(Class<T> javaType, Map.Entry<String, T>... words) {
        Map<String, T> byWord = new LinkedHashMap<>();
        for (Map.Entry<String, T> w : words) {
            byWord.put(w.getKey(), w.getValue());
        }
        List<String> names = List.copyOf(byWord.keySet());
        String label = names.stream().map(n -> "`" + n + "`").reduce((a, b) -> a + " or " + b).orElse("");
        return new ValueType<>(label, "<" + String.join("|", names) + ">", Shape.SINGLE, javaType, text -> {
            T value = byWord.get(text);
            if (value == null) {
                throw new IllegalArgumentException("must be " + String.join(" or ", names) + ", not " + text);
            }
            return value;
        }, value -> byWord.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey)
                .findFirst().orElseThrow());
    }

    /** The value written as text; throws {@link IllegalArgumentException} saying why it is not one. */
    public T parse(String text) {
        return parse.apply(text);
    }

    /** The value as it would be written on the command line. */
    String format(T value) {
        return format.apply(value);
    }

    /** What the docs call such a value: "integer", "path", "`drop` or `disconnect`". */
    public String label() {
        return label;
    }

    /** How {@code --help} shows the value after the flag: {@code <integer>}, {@code <drop|disconnect>}. */
    public String paramLabel() {
        return paramLabel;
    }

    public Shape shape() {
        return shape;
    }

    public Class<T> javaType() {
        return javaType;
    }

    /** A list with blanks trimmed and empty items dropped, so an empty value means an empty list. */
    public static List<String> clean(List<String> items) {
        return items == null ? List.of() : items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> split(String text) {
        return clean(Arrays.asList(text.split(",", -1)));
    }

    private static <N> N number(String text, Function<String, N> parse) {
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
    }

    private static Boolean bool(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("'" + text + "' is not true or false");
    }
}
