package io.bayeuxd.protocol;

/**
 * A request body that is not a Bayeux message or batch: malformed JSON, invalid UTF-8, the wrong
 * top-level shape, or over a {@link DecoderLimits} limit.
 *
 * <p>The message is a short, fixed reason with at most a byte offset or a limit in it, never request
 * content, so it is safe to log and to send back in an error reply. There is no stack trace and no
 * cause: the exception is expected on every bad request and says all there is to say.
 */
public final class BayeuxDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BayeuxDecodeException(String reason) {
        super(reason, null, false, false);
    }
}
