/**
 * The ceiling of the side-by-side benchmark ({@code bench/side-by-side.sh}): a trivial Netty WebSocket
 * relay ({@link io.bayeuxd.bench.relay.RelayServer}) that answers the load generator's meta messages
 * with canned replies and forwards every publish verbatim to the sockets subscribed to its exact
 * channel name. It has the fan-out cost of the network and none of a broker's work, so a broker's
 * numbers next to it show what the broker itself costs. It understands only what the load generator
 * sends (see {@link io.bayeuxd.bench.relay.FrameFields}); it is not a Bayeux server.
 */
package io.bayeuxd.bench.relay;
