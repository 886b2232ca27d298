package io.bayeuxd.bench.jmh;

import io.bayeuxd.channel.ChannelTrie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Subscription churn on one big channel: one op unsubscribes a member of {@code /broadcast} that has
 * {@code subscribers} members and subscribes it again, the path of a client that reconnects, or of
 * every client after a node restart. Before the trie kept subscriber lists in chunks, each of the two
 * copied the whole list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SubscribeChurnBenchmark {
    @Param({"100", "10000", "100000"})
    int subscribers;

    final ChannelTrie<Object> trie = new ChannelTrie<>();
    Object[] members;
    int next;

    @Setup
    public void setUp() {
        members = new Object[subscribers];
        for (int i = 0; i < subscribers; i++) {
            members[i] = new Object();
            trie.subscribe("/broadcast", members[i]);
        }
    }

    @Benchmark
    public boolean resubscribe() {
        Object member = members[next];
        next = next + 1 == members.length ? 0 : next + 1;
        trie.unsubscribe("/broadcast", member);
        return trie.subscribe("/broadcast", member);
    }
}
