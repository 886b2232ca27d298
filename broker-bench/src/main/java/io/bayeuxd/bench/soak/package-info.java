/**
 * The soak driver: a bounded run of mixed, partly hostile load against a bayeuxd broker on loopback,
 * checking that the broker loses nothing for well-behaved clients and gives back what churned,
 * stalled and hostile clients took. {@code bench/soak.sh} starts a broker and runs
 * {@link io.bayeuxd.bench.soak.SoakMain} against it; {@code docs/reliability.md} has the results.
 *
 * <p>The load, all at once on one or two event loops of the driver:
 * <ul>
 *   <li>{@link io.bayeuxd.bench.soak.WellBehavedSubscriber}s on many channels, fed by
 *       {@link io.bayeuxd.bench.soak.SoakPublisher}s that number each channel's messages, so the
 *       {@link io.bayeuxd.bench.soak.DeliveryLedger} knows every message each subscriber is owed;</li>
 *   <li>{@link io.bayeuxd.bench.soak.Churner}s started by the {@link io.bayeuxd.bench.soak.ChurnSpawner},
 *       over WebSocket and long-polling, leaving politely or not;</li>
 *   <li>{@link io.bayeuxd.bench.soak.SlowConsumer}s on a busy channel that stop reading, kept in
 *       {@link io.bayeuxd.bench.soak.SlowConsumerSlots};</li>
 *   <li>the {@link io.bayeuxd.bench.soak.GarbageSender}, one {@link io.bayeuxd.bench.soak.GarbageProbe}
 *       per connection, through every {@link io.bayeuxd.bench.soak.GarbageKind}.</li>
 * </ul>
 * The {@link io.bayeuxd.bench.soak.BrokerSampler} reads the broker's {@code /metrics} and {@code /proc}
 * every few seconds; {@link io.bayeuxd.bench.soak.SoakRun} runs the phases, each with a deadline;
 * {@link io.bayeuxd.bench.soak.SoakVerdict} judges and {@link io.bayeuxd.bench.soak.SoakReport} writes
 * the CSV, the SVG ({@link io.bayeuxd.bench.soak.SoakPlot}) and the summary.
 *
 * <p>The clients are the load generator's {@link io.bayeuxd.bench.loadgen.ClientSession} with the
 * soak's policy ({@link io.bayeuxd.bench.soak.SoakClient}, {@link io.bayeuxd.bench.soak.WellBehavedClient}),
 * over its links, request encoder, frame parser and rate pacer. Each client is single-threaded on its
 * event loop, as there.
 */
package io.bayeuxd.bench.soak;
