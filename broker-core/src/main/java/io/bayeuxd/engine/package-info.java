/**
 * The engine SPI (sessions, subscriptions, queued messages) and its in-memory implementation, which
 * holds the subscription index and performs the fan-out: steps 3 to 5 of the message path in
 * {@code docs/architecture.md}.
 */
package io.bayeuxd.engine;
