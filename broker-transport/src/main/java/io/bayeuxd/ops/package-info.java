/**
 * Running the broker in production: Prometheus metrics read from the core's striped counters at scrape
 * time ({@link io.bayeuxd.ops.BrokerMetrics}), per-connection byte and connection counts
 * ({@link io.bayeuxd.ops.ConnectionStats}), and the {@code /metrics}, {@code /healthz} and {@code /readyz}
 * endpoints with the HTTP side of the drain ({@link io.bayeuxd.ops.OpsHttpHandler}). Nothing here runs
 * per message; see {@code docs/operations.md}.
 */
package io.bayeuxd.ops;
