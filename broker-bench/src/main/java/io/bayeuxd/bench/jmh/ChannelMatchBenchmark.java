package io.bayeuxd.bench.jmh;

import io.bayeuxd.channel.ChannelTrie;
import io.bayeuxd.channel.MatchSet;
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
 * Step 3: {@link ChannelTrie#match} against an index of 10,000 subscriptions held by 2,500 subscribers.
 *
 * <p>The mix, 80 % exact names, 5 % {@code /*} and 15 % {@code /**}:
 * <table>
 *   <caption>subscriptions in the trie</caption>
 *   <tr><th>pattern</th><th>count</th></tr>
 *   <tr><td>{@code /chat/room0} … {@code /chat/room999}, 3 each</td><td>3,000</td></tr>
 *   <tr><td>{@code /chat/*}</td><td>10</td></tr>
 *   <tr><td>{@code /users/u0/inbox} … {@code /users/u1999/inbox}</td><td>2,000</td></tr>
 *   <tr><td>{@code /users/u0/**} … {@code /users/u999/**}</td><td>1,000</td></tr>
 *   <tr><td>{@code /stocks/{nyse,nasdaq,lse,tse}/s0} … {@code s249}, 2 each</td><td>2,000</td></tr>
 *   <tr><td>{@code /stocks/{exchange}/*}, 100 each</td><td>400</td></tr>
 *   <tr><td>{@code /stocks/**}</td><td>20</td></tr>
 *   <tr><td>{@code /game/g0..g49/team0..1/player0..9/moves}</td><td>1,000</td></tr>
 *   <tr><td>{@code /game/g0/**} … {@code /game/g49/**}, 10 each</td><td>500</td></tr>
 *   <tr><td>{@code /game/g0..g6/team0/player0..9/*}</td><td>70</td></tr>
 * </table>
 *
 * <p>The parameter is the published channel: hits at depth 2, 3 and 5 with small and wide results,
 * and two misses, one that fails at the first segment and one that walks a level first. The number
 * of subscribers each one matches is checked by {@code JmhBenchmarksTest}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ChannelMatchBenchmark {
    static final int SUBSCRIBERS = 2_500;
    static final String[] EXCHANGES = {"nyse", "nasdaq", "lse", "tse"};

    @Param({
            "/chat/room42",                 // depth 2, 13 subscribers: 3 exact + 10 /chat/*
            "/users/u42/inbox",             // depth 3, 2: exact + /users/u42/**
            "/stocks/nyse/s17",             // depth 3, 122: 2 exact + 100 /stocks/nyse/* + 20 /stocks/**
            "/game/g3/team0/player4/moves", // depth 5, 12: exact + 10 /game/g3/** + 1 /*
            "/users/u99999/inbox",          // miss after walking /users
            "/news/sports"                  // miss at the first segment
    })
    String channel;

    final ChannelTrie<Object> trie = new ChannelTrie<>();

    @Setup
    public void setUp() {
        Object[] subscribers = new Object[SUBSCRIBERS];
        for (int i = 0; i < subscribers.length; i++) {
            subscribers[i] = new Object();
        }
        RoundRobin subscriber = new RoundRobin(subscribers);
        for (int room = 0; room < 1000; room++) {
            for (int k = 0; k < 3; k++) {
                trie.subscribe("/chat/room" + room, subscriber.next());
            }
        }
        for (int k = 0; k < 10; k++) {
            trie.subscribe("/chat/*", subscriber.next());
        }
        for (int user = 0; user < 2000; user++) {
            trie.subscribe("/users/u" + user + "/inbox", subscriber.next());
        }
        for (int user = 0; user < 1000; user++) {
            trie.subscribe("/users/u" + user + "/**", subscriber.next());
        }
        for (String exchange : EXCHANGES) {
            for (int symbol = 0; symbol < 250; symbol++) {
                for (int k = 0; k < 2; k++) {
                    trie.subscribe("/stocks/" + exchange + "/s" + symbol, subscriber.next());
                }
            }
            for (int k = 0; k < 100; k++) {
                trie.subscribe("/stocks/" + exchange + "/*", subscriber.next());
            }
        }
        for (int k = 0; k < 20; k++) {
            trie.subscribe("/stocks/**", subscriber.next());
        }
        for (int game = 0; game < 50; game++) {
            for (int team = 0; team < 2; team++) {
                for (int player = 0; player < 10; player++) {
                    String channel = "/game/g" + game + "/team" + team + "/player" + player + "/moves";
                    trie.subscribe(channel, subscriber.next());
                }
            }
            for (int k = 0; k < 10; k++) {
                trie.subscribe("/game/g" + game + "/**", subscriber.next());
            }
        }
        for (int game = 0; game < 7; game++) {
            for (int player = 0; player < 10; player++) {
                trie.subscribe("/game/g" + game + "/team0/player" + player + "/*", subscriber.next());
            }
        }
        if (trie.subscriptionCount() != 10_000) {
            throw new IllegalStateException("expected 10,000 subscriptions, built " + trie.subscriptionCount());
        }
    }

    /** The publishing thread's reusable result, as {@code MemoryEngine} keeps one per thread. */
    @State(Scope.Thread)
    public static class Matches {
        final MatchSet<Object> set = new MatchSet<>();
    }

    /** One op: clearing the thread's {@code MatchSet} and matching one channel into it. */
    @Benchmark
    public int match(Matches matches) {
        MatchSet<Object> set = matches.set;
        set.clear();
        trie.match(channel, set);
        return set.size();
    }

    /** Hands out the subscribers round-robin, so one subscriber holds about four subscriptions. */
    private static final class RoundRobin {
        private final Object[] all;
        private int index;

        RoundRobin(Object[] all) {
            this.all = all;
        }

        Object next() {
            return all[index++ % all.length];
        }
    }
}
