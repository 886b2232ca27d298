/**
 * Who may do what: a rules-based {@link io.bayeuxd.api.SecurityPolicy} read from a file, signed
 * tokens, and the outgoing step that keeps credentials in {@code ext} away from subscribers.
 */
package io.bayeuxd.security;
