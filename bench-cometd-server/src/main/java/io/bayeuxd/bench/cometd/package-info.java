/**
 * The CometD server that {@code bench/side-by-side.sh} compares bayeuxd with: CometD 9.0.0 with its
 * default settings on embedded Jetty 12.1 ({@link io.bayeuxd.bench.cometd.CometDServer}), runnable as
 * {@code bench-cometd-server/target/cometd-server.jar} ({@link io.bayeuxd.bench.cometd.CometDServerMain}).
 * Benchmark tooling only: nothing in the broker depends on it.
 */
package io.bayeuxd.bench.cometd;
