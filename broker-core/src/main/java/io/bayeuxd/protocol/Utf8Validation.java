package io.bayeuxd.protocol;

/**
 * Strict UTF-8 check of a request body before it reaches Jackson.
 *
 * <p>Why not leave it to Jackson: its UTF-8 parser accepts overlong forms ({@code C0 80}), encoded
 * surrogates ({@code ED A0 80}) and code points above U+10FFFF, and the decoder forwards the bytes of
 * {@code data} and {@code ext} to subscribers untouched, so whatever passes here reaches every client.
 * The check follows the well-formed byte sequences of RFC 3629, section 4.
 *
 * <p>It also rejects the NUL byte. A NUL is valid UTF-8 but can never occur in a JSON text (not between
 * tokens and not unescaped in a string), and a NUL in the first two bytes would make Jackson's encoding
 * detection read the body as UTF-16 or UTF-32, where its token offsets stop being byte offsets.
 */
final class Utf8Validation {
    private Utf8Validation() {
    }

    /**
     * The index of the first byte in {@code [from, to)} that starts or breaks an ill-formed sequence,
     * or -1 when the range is well-formed UTF-8 without NUL.
     */
    static int firstInvalidByte(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) {
                return i;
            }
            c &= 0xFF;
            int start = i;
            if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 >= to || !isContinuation(b[i + 1])) {
                    return start;
                }
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 >= to) {
                    return start;
                }
                int c1 = b[i + 1] & 0xFF;
                // E0 would be overlong below A0; ED above 9F would encode a surrogate.
                int low = c == 0xE0 ? 0xA0 : 0x80;
                int high = c == 0xED ? 0x9F : 0xBF;
                if (c1 < low || c1 > high || !isContinuation(b[i + 2])) {
                    return start;
                }
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= to) {
                    return start;
                }
                int c1 = b[i + 1] & 0xFF;
                // F0 would be overlong below 90; F4 above 8F would pass U+10FFFF.
                int low = c == 0xF0 ? 0x90 : 0x80;
                int high = c == 0xF4 ? 0x8F : 0xBF;
                if (c1 < low || c1 > high || !isContinuation(b[i + 2]) || !isContinuation(b[i + 3])) {
                    return start;
                }
                i += 4;
            } else {
                // A stray continuation byte, C0/C1 (always overlong) or F5..FF (beyond U+10FFFF).
                return start;
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
