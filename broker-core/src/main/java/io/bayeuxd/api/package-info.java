/**
 * The small public surface for code that embeds the broker: server extensions (the way to
 * authenticate and authorise), the context they see, the security policy, and server events
 * ({@link io.bayeuxd.api.ServerListener}).
 */
package io.bayeuxd.api;
