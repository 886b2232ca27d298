/**
 * The small public surface for code that embeds the broker: server extensions (the way to
 * authenticate and authorise; {@link io.bayeuxd.api.AsyncExtension} for those that answer later), the
 * context they see, the security policy (synchronous or asynchronous), and server events
 * ({@link io.bayeuxd.api.ServerListener}, with {@link io.bayeuxd.api.ConnectRequest} for a connect's
 * advice and ext).
 */
package io.bayeuxd.api;
