/**
 * The WebSocket transport: the upgrade on any path under the mount, and a handler that pushes each
 * session's queued messages as JSON-array text frames while holding its connect reply.
 *
 * <p>With {@code permessage-deflate} negotiated ({@link io.bayeuxd.transport.websocket.DeflateNegotiation}),
 * step 6 writes the pushed frames already compressed ({@link io.bayeuxd.transport.websocket.DeflatedFrames}):
 * each publication is compressed once, by the first compressed socket that sends it, and its compressed copy
 * is kept beside its shared bytes for every other one; replies keep Netty's per-connection deflater.
 */
package io.bayeuxd.transport.websocket;
