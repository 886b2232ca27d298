/**
 * End-to-end load generator: measures latency and throughput of any Bayeux server (bayeuxd, CometD,
 * Faye) over raw WebSocket or long-polling, with no Bayeux client library in between.
 *
 * <p>The path of one message, in the order the code reads:
 * <ol>
 *   <li>{@link io.bayeuxd.bench.loadgen.PublisherSession} takes the next time from its
 *       {@link io.bayeuxd.bench.loadgen.RatePacer} and has {@link io.bayeuxd.bench.loadgen.RequestEncoder}
 *       write {@code {channel, clientId, data:{ts, seq, pad}}} straight into a buffer; the deliveries
 *       owed (subscribers on the channel at that moment) are added to {@link io.bayeuxd.bench.loadgen.RunStats};</li>
 *   <li>a {@link io.bayeuxd.bench.loadgen.Link} carries it: one WebSocket text frame, or a batch in the
 *       next long-polling POST;</li>
 *   <li>the server fans it out; a subscriber's link hands the frame to its
 *       {@link io.bayeuxd.bench.loadgen.SubscriberSession}, which notes the arrival time once per frame;</li>
 *   <li>{@link io.bayeuxd.bench.loadgen.ServerFrameParser} streams through the frame, keeping only channel,
 *       successful, clientId, error, advice and {@code data.ts/seq};</li>
 *   <li>the subscriber counts the delivery and records arrival minus {@code ts} in its event loop's
 *       single-writer HdrHistogram recorder ({@link io.bayeuxd.bench.loadgen.LoopContext});</li>
 *   <li>{@link io.bayeuxd.bench.loadgen.LoadRun} harvests the recorders each second, and at the end
 *       {@link io.bayeuxd.bench.loadgen.ResultReport} prints the table and the JSON line and writes the
 *       {@code .hgrm}, {@code .svg} and {@code .json} files.</li>
 * </ol>
 *
 * <p>Threads: one to two Netty event loops (epoll, else NIO) own every connection and every session
 * pinned to them; the orchestrating thread only starts sessions, sets the
 * {@link io.bayeuxd.bench.loadgen.RunTimeline} and reads counters. Everything is bounded: the ramp, the
 * warm-up, the measurement and the drain each have a deadline, and sessions retry a fixed number of
 * times. Targets must be loopback addresses.
 *
 * <p>The entry point is {@link io.bayeuxd.bench.loadgen.LoadGenerator}; {@code broker-bench/README.md}
 * says how to run it.
 *
 * <p>The client pieces are public for the soak driver ({@code io.bayeuxd.bench.soak}), which builds
 * its clients on them: {@link io.bayeuxd.bench.loadgen.ClientSession}, the one Bayeux client both
 * tools subclass (the load generator's policy is {@link io.bayeuxd.bench.loadgen.BayeuxSession}), its
 * {@link io.bayeuxd.bench.loadgen.LoopContext}, {@link io.bayeuxd.bench.loadgen.Link} and
 * {@link io.bayeuxd.bench.loadgen.LinkFactory}, {@link io.bayeuxd.bench.loadgen.ServerUrl},
 * {@link io.bayeuxd.bench.loadgen.RequestEncoder},
 * {@link io.bayeuxd.bench.loadgen.ServerFrameParser} with {@link io.bayeuxd.bench.loadgen.ServerMessage},
 * {@link io.bayeuxd.bench.loadgen.RatePacer} and {@link io.bayeuxd.bench.loadgen.IoRuntime}. The load
 * generator's sessions, run and report stay package-private.
 */
package io.bayeuxd.bench.loadgen;
