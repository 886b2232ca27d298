/**
 * JMH micro-benchmarks of the message path, one class per step, in the order of
 * {@code docs/architecture.md}:
 * <ol>
 *   <li>bytes are decoded: {@link io.bayeuxd.bench.jmh.DecodeBenchmark};</li>
 *   <li>(the session validates: not measured here);</li>
 *   <li>the subscription index matches: {@link io.bayeuxd.bench.jmh.ChannelMatchBenchmark};</li>
 *   <li>the message is encoded once, and replies are written: {@link io.bayeuxd.bench.jmh.EncodeBenchmark};</li>
 *   <li>a reference goes into each subscriber's outbox, many producers against one consumer:
 *       {@link io.bayeuxd.bench.jmh.OutboxBenchmark};</li>
 *   <li>steps 4 to 6 together, from one publication to every subscriber's drained outbox:
 *       {@link io.bayeuxd.bench.jmh.FanoutBenchmark}.</li>
 * </ol>
 *
 * <p>Each benchmark says in its Javadoc what one operation is. Buffers come from
 * {@code ByteBufAllocator.DEFAULT}, as in the server, and every buffer a benchmark takes is released in
 * the same operation or in its tear-down; {@code JmhBenchmarksTest} runs each body once under the
 * leak detector at PARANOID to prove it.
 *
 * <p>Benchmark and state classes are public and not final because JMH generates subclasses of them in
 * {@code jmh_generated}; fields are package-private so that the test can set parameters and swap the
 * allocator. The forked JVMs run with Netty's leak detector disabled, so that its sampling does not
 * show up in {@code gc.alloc.rate.norm}. Run them with {@code java -jar broker-bench/target/benchmarks.jar}
 * (see {@code broker-bench/README.md}); results are in {@code docs/jmh.md}.
 */
package io.bayeuxd.bench.jmh;
