/**
 * {@code --auth-webhook}: an {@link io.bayeuxd.api.AsyncSecurityPolicy} that asks the application's own
 * backend, by an HTTP POST per decision, with a small cache of its answers and a circuit breaker.
 */
package io.bayeuxd.security.webhook;
