/**
 * Server-side client sessions: identity, subscriptions, the bounded outbox and how its messages reach
 * the connection that currently serves the client ({@link io.bayeuxd.session.DeliveryTarget}).
 *
 * <p>A session has one consumer at a time: the thread of its attached target. Publishers on any thread
 * only offer to its outbox and {@linkplain io.bayeuxd.session.Session#wake() wake} it; this is steps 5
 * and 6 of the message path in {@code docs/architecture.md}.
 */
package io.bayeuxd.session;
