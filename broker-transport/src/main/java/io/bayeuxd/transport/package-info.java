/**
 * The Netty transports: plain HTTP (long-polling, cross-origin long-polling and JSONP callback-polling)
 * in {@code http} and {@code longpoll}, WebSocket in {@code websocket}. Each decodes bytes into messages
 * on the connection's event loop (step 1 of the message path), hands them to the
 * {@link io.bayeuxd.broker.Broker}, and writes replies and queued messages back as one frame.
 *
 * <p>Exported for {@link io.bayeuxd.transport.TransportConfig}, which {@code ServerConfig} carries; the
 * transports' own packages are internal to the module.
 */
package io.bayeuxd.transport;
