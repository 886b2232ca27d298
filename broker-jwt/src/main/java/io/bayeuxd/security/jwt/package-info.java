/**
 * JWT authentication on Nimbus JOSE+JWT: a {@link io.bayeuxd.api.SecurityPolicy} that admits a handshake
 * carrying a valid signed token in {@code ext.token} and lets the token's claims decide what the session
 * may subscribe to and publish on. A module of its own, so that the core keeps no JOSE dependency.
 */
package io.bayeuxd.security.jwt;
