package io.bayeuxd.protocol;

/**
 * Bounds on what {@link BayeuxDecoder} accepts from one request body. The transport bounds the body's
 * size in bytes; these bound the work and memory that a body of that size can cost.
 *
 * @param maxNestingDepth     deepest nesting of arrays and objects, counted from the top of the body: a
 *                            batch array is level 1, its message objects level 2, a {@code data} object
 *                            in them level 3
 * @param maxMessagesPerBatch most messages in one body
 * @param maxStringChars      longest field name anywhere in the body, and longest value of a string field
 *                            the decoder turns into a Java {@code String} (channel, clientId, error, ...).
 *                            String values inside {@code data}, {@code ext} and {@code id} are copied as
 *                            raw bytes, not decoded, so only the body size bounds them.
 */
record DecoderLimits(int maxNestingDepth, int maxMessagesPerBatch, int maxStringChars) {
    private static final DecoderLimits DEFAULTS = new DecoderLimits(64, 1000, 65_536);

    public DecoderLimits {
        if (maxNestingDepth < 1 || maxMessagesPerBatch < 1 || maxStringChars < 1) {
            throw new IllegalArgumentException("decoder limits must be positive: " + maxNestingDepth + ", "
                    + maxMessagesPerBatch + ", " + maxStringChars);
        }
    }

    /** Depth 64, 1000 messages per batch, strings of 65,536 chars. */
    static DecoderLimits defaults() {
        return DEFAULTS;
    }
}
