/**
 * The small public surface for code that embeds the broker: server extensions (the way to
 * authenticate and authorise) and the context they see.
 */
package io.bayeuxd.api;
