/**
 * The runnable server: Netty bootstrap, pipeline, configuration and the command line.
 *
 * <p>The public API here is {@link io.bayeuxd.server.BrokerServer}, {@link io.bayeuxd.server.ServerConfig}
 * with its builder, {@link io.bayeuxd.server.EngineKind} and {@link io.bayeuxd.server.BrokerMain}. The
 * accessors of {@code BrokerServer} that return internal types ({@code metrics()}, {@code readiness()},
 * {@code connectionLimiter()}, {@code clusterPolling()}) are for the server's own tests and tools.
 */
package io.bayeuxd.server;
