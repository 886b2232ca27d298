/**
 * Bayeux messages and their JSON codec.
 *
 * <p>Of the six steps of the message path this package does two. Step 1:
 * {@link io.bayeuxd.protocol.BayeuxDecoder} turns a request body into {@link io.bayeuxd.protocol.Message}s
 * on the event loop, streaming through the JSON without building a tree and keeping {@code data},
 * {@code ext} and {@code id} as raw bytes ({@link io.bayeuxd.protocol.JsonValue}). Step 4:
 * {@link io.bayeuxd.protocol.BayeuxEncoder#encodeDelivery} writes a published message once, into a
 * buffer that every subscriber's outbox then shares: one reference each, the same buffer, read without
 * moving its indices. Replies to the sender are
 * written with {@link io.bayeuxd.protocol.BayeuxEncoder#writeArray}.
 *
 * <p>Buffer ownership: the decoder borrows its input and keeps no reference to it; the encoder's
 * {@code write...} methods borrow the buffer they append to; {@code encodeDelivery} returns a buffer
 * that the caller owns. {@code MessageReader}, {@code JsonOutput} and {@code Utf8Validation} are
 * package-private internals.
 *
 * <p>Exported because the public API carries its value types: {@link io.bayeuxd.protocol.JsonValue},
 * {@link io.bayeuxd.protocol.BayeuxError}, {@link io.bayeuxd.protocol.Advice}, and
 * {@link io.bayeuxd.protocol.Message}, which extensions see only as {@link io.bayeuxd.api.BayeuxMessage}.
 * The codec ({@code BayeuxDecoder}, {@code BayeuxEncoder}, {@code SharedDelivery}, ...) is public for the
 * sibling modules and is internal.
 */
package io.bayeuxd.protocol;
