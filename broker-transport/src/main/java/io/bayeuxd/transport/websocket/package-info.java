/**
 * The WebSocket transport: the upgrade on any path under the mount, and a handler that pushes each
 * session's queued messages as JSON-array text frames while holding its connect reply.
 */
package io.bayeuxd.transport.websocket;
