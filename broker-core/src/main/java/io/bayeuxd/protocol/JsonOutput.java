package io.bayeuxd.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * JSON strings and integers written straight into a {@link ByteBuf}, with no String or byte[] in
 * between. Each writer has a matching {@code ...Length} that gives its exact output size, so that a
 * caller can size a buffer once and the writer can reserve space once.
 *
 * <p>Escaping: {@code "} and {@code \} are escaped, control characters use the short forms
 * {@code \b \f \n \r \t} where JSON has them and <code>&#92;u00XX</code> otherwise (as JavaScript's
 * {@code JSON.stringify} writes them, which is what Faye clients see from Faye). U+2028 and U+2029
 * are escaped because they end a line in JavaScript before ES2019, which would break the same JSON
 * served as a JSONP script. Everything else is written as UTF-8; an unpaired surrogate, which has no
 * UTF-8 form, is written as U+FFFD.
 */
final class JsonOutput {
    /** Per ASCII char: 0 = as is, 'u' = <code>&#92;u00XX</code>, else the char after the backslash. */
    private static final byte[] ASCII_ESCAPES = new byte[128];
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = 'u';
        }
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\f'] = 'f';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\r'] = 'r';
        ASCII_ESCAPES['\t'] = 't';
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
    }

    private JsonOutput() {
    }

    /** Exact number of bytes {@link #writeString} writes for {@code s}, quotes included. */
    static int stringLength(String s) {
        int length = s.length();
        int bytes = 2;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ASCII_ESCAPES[c];
                bytes += escape == 0 ? 1 : escape == 'u' ? 6 : 2;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (isPairAt(s, i, length)) {
                    bytes += 4;
                    i++;
                } else {
                    bytes += 3;
                }
            } else {
                bytes += isLineSeparator(c) ? 6 : 3;
            }
        }
        return bytes;
    }

    /** Writes {@code s} as a quoted JSON string. */
    static void writeString(ByteBuf out, String s) {
        writeString(out, s, stringLength(s));
    }

    /** Writes {@code s} as a quoted JSON string whose size, {@link #stringLength}, is already known. */
    static void writeString(ByteBuf out, String s, int encodedLength) {
        int length = s.length();
        if (encodedLength == length + 2) {
            // Only plain ASCII encodes to one byte per char: channels, client ids, versions.
            out.ensureWritable(encodedLength);
            out.writeByte('"');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeByte('"');
            return;
        }
        out.ensureWritable(encodedLength);
        int w = out.writerIndex();
        out.setByte(w++, '"');
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    out.setByte(w++, c);
                } else if (escape == 'u') {
                    w = writeUnicodeEscape(out, w, c);
                } else {
                    out.setByte(w++, '\\');
                    out.setByte(w++, escape);
                }
            } else if (c < 0x800) {
                out.setByte(w++, 0xC0 | c >> 6);
                out.setByte(w++, 0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (isPairAt(s, i, length)) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.setByte(w++, 0xF0 | cp >> 18);
                    out.setByte(w++, 0x80 | cp >> 12 & 0x3F);
                    out.setByte(w++, 0x80 | cp >> 6 & 0x3F);
                    out.setByte(w++, 0x80 | cp & 0x3F);
                } else {
                    w = writeThreeBytes(out, w, 0xFFFD);
                }
            } else if (isLineSeparator(c)) {
                w = writeUnicodeEscape(out, w, c);
            } else {
                w = writeThreeBytes(out, w, c);
            }
        }
        out.setByte(w++, '"');
        out.writerIndex(w);
    }

    /** Exact number of bytes {@link #writeLong} writes for {@code v}. */
    static int longLength(long v) {
        if (v == Long.MIN_VALUE) {
            return LONG_MIN.length;
        }
        int digits = 1;
        for (long rest = Math.abs(v); rest >= 10; rest /= 10) {
            digits++;
        }
        return v < 0 ? digits + 1 : digits;
    }

    /** Writes {@code v} in decimal. */
    static void writeLong(ByteBuf out, long v) {
        if (v == Long.MIN_VALUE) {
            // The one value whose magnitude does not fit a long.
            out.writeBytes(LONG_MIN);
            return;
        }
        int length = longLength(v);
        out.ensureWritable(length);
        int end = out.writerIndex() + length;
        int w = end;
        long rest = Math.abs(v);
        do {
            out.setByte(--w, '0' + (int) (rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (v < 0) {
            out.setByte(--w, '-');
        }
        out.writerIndex(end);
    }

    private static boolean isPairAt(String s, int i, int length) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static boolean isLineSeparator(char c) {
        return c == '\u2028' || c == '\u2029';
    }

    private static int writeUnicodeEscape(ByteBuf out, int w, char c) {
        out.setByte(w++, '\\');
        out.setByte(w++, 'u');
        out.setByte(w++, HEX[c >> 12 & 0xF]);
        out.setByte(w++, HEX[c >> 8 & 0xF]);
        out.setByte(w++, HEX[c >> 4 & 0xF]);
        out.setByte(w++, HEX[c & 0xF]);
        return w;
    }

    private static int writeThreeBytes(ByteBuf out, int w, int c) {
        out.setByte(w++, 0xE0 | c >> 12);
        out.setByte(w++, 0x80 | c >> 6 & 0x3F);
        out.setByte(w++, 0x80 | c & 0x3F);
        return w;
    }
}
