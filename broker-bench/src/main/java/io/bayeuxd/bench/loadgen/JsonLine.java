package io.bayeuxd.bench.loadgen;

import java.math.BigDecimal;
import java.util.Locale;

/** Builds one flat JSON object of strings, numbers and booleans, keys in insertion order. */
final class JsonLine {

    private final StringBuilder json = new StringBuilder(512).append('{');

    JsonLine put(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    JsonLine put(String key, long value) {
        key(key);
        json.append(value);
        return this;
    }

    JsonLine put(String key, double value) {
        key(key);
        if (Double.isFinite(value)) {
            // Plain decimal notation, never an exponent.
            json.append(new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
        } else {
            json.append("null");
        }
        return this;
    }

    JsonLine put(String key, boolean value) {
        key(key);
        json.append(value);
        return this;
    }

    private void key(String key) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(key);
        json.append(':');
    }

    private void quote(String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }

    @Override
    public String toString() {
        return json + "}";
    }
}
