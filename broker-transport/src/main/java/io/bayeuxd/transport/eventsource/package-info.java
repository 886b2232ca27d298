/**
 * Faye's EventSource transport: the server pushes a session's messages down a {@code text/event-stream}
 * response ({@link io.bayeuxd.transport.eventsource.EventSourceStream}), while the client sends its
 * messages, {@code /meta/connect} included, as same-origin long-polling POSTs that are answered at once.
 */
package io.bayeuxd.transport.eventsource;
