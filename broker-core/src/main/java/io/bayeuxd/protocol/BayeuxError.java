package io.bayeuxd.protocol;

import java.util.List;

/**
 * Bayeux error strings in Faye's {@code code:params:text} form, with Faye's codes and texts, since
 * Faye's clients parse and show them.
 */
public final class BayeuxError {
    /** The codes below, which are all that Faye and this broker send; extensions may send others. */
    public static final List<Integer> CODES = List.of(300, 301, 302, 400, 401, 402, 403, 404, 405, 406, 407, 500);

    private BayeuxError() {
    }

    /**
     * The code of an error string, its digits up to the first {@code ':'}; -1 when it does not start with
     * one to three digits (an extension may set any string).
     */
    public static int code(String error) {
        int code = 0;
        int i = 0;
        for (int n = Math.min(error.length(), 4); i < n; i++) {
            char c = error.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            code = code * 10 + (c - '0');
        }
        boolean ended = i == error.length() || error.charAt(i) == ':';
        return i == 0 || i > 3 || !ended ? -1 : code;
    }

    public static String versionMismatch(String... params) { return format(300, "Version mismatch", params); }
    public static String conntypeMismatch(String... params) { return format(301, "Connection types not supported", params); }
    public static String extMismatch(String... params) { return format(302, "Extension mismatch", params); }
    public static String badRequest(String... params) { return format(400, "Bad request", params); }
    public static String clientUnknown(String... params) { return format(401, "Unknown client", params); }
    public static String parameterMissing(String... params) { return format(402, "Missing required parameter", params); }
    public static String channelForbidden(String... params) { return format(403, "Forbidden channel", params); }
    public static String channelUnknown(String... params) { return format(404, "Unknown channel", params); }
    public static String channelInvalid(String... params) { return format(405, "Invalid channel", params); }
    public static String extUnknown(String... params) { return format(406, "Unknown extension", params); }
    public static String publishFailed(String... params) { return format(407, "Failed to publish", params); }
    public static String serverError(String... params) { return format(500, "Internal server error", params); }

    /** {@code code:p1,p2:text}; a {@code null} parameter is written as empty, as JavaScript's join does. */
    public static String format(int code, String text, String... params) {
        StringBuilder sb = new StringBuilder(32).append(code).append(':');
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (params[i] != null) {
                sb.append(params[i]);
            }
        }
        return sb.append(':').append(text).toString();
    }
}
