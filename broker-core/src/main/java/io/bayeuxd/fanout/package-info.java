/**
 * The fan-out core: a publication encoded once is shared by reference with every subscriber's bounded
 * outbox ({@link io.bayeuxd.fanout.Fanout}), and each connection's event loop drains a bounded batch into
 * one frame ({@link io.bayeuxd.fanout.FrameWriter}), plain JSON or a transport's own
 * {@link io.bayeuxd.fanout.FrameEncoding} of the same array (a compressed WebSocket's). No locks between
 * publish and delivery.
 */
package io.bayeuxd.fanout;
