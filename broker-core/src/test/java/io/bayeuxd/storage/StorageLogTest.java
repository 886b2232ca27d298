package io.bayeuxd.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage log rewritten while channels go on appending: after the switch the file holds, for every
 * channel, what it kept at the copy plus everything appended since, each entry once and in order.
 */
class StorageLogTest {
    private static final int KEEP = 5;
    private static final int CHANNELS = 6;
    private static final int APPENDS = 3_000;

    @TempDir
    Path dir;

    /** A channel as the compaction sees it: its last {@link #KEEP} positions, changed under its monitor. */
    private static final class Kept {
        final String name;
        final Deque<Long> positions = new ArrayDeque<>();
        long last;

        Kept(String name) {
            this.name = name;
        }
    }

    @Test
    void rewritesWhileAppendingLoseNothingAndDuplicateNothing() throws Exception {
        Map<String, Kept> channels = new ConcurrentHashMap<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.put("/c/" + i, new Kept("/c/" + i));
        }
        StorageLog log = StorageLog.in(dir, StorageLog.Fsync.NEVER);
        StorageLog.Compaction compaction = new StorageLog.Compaction() {
            @Override
            public Collection<String> channels() {
                return List.copyOf(channels.keySet());
            }

            @Override
            public void write(String channel, StorageLog.EntryWriter writer) {
                Kept k = channels.get(channel);
                synchronized (k) {
                    for (long p : k.positions) {
                        writer.write(StorageLog.HISTORY, k.name, "e", p, 0, body(p));
                    }
                    writer.channelDone(channel);
                }
            }
        };
        log.load((kind, channel, epoch, position, wall, message) -> { }, compaction);
        log.compactAt(1);

        CountDownLatch started = new CountDownLatch(CHANNELS);
        List<Thread> writers = new ArrayList<>();
        for (Kept k : channels.values()) {
            Thread t = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < APPENDS; i++) {
                    synchronized (k) {
                        long p = ++k.last;
                        log.append(StorageLog.HISTORY, k.name, "e", p, 0, body(p));
                        k.positions.addLast(p);
                        if (k.positions.size() > KEEP) {
                            k.positions.removeFirst();
                        }
                    }
                }
            });
            writers.add(t);
            t.start();
        }
        started.await();
        int rewrites = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            if (log.compactIfGrown()) {
                rewrites++;
            }
        }
        for (Thread t : writers) {
            t.join();
        }
        log.close();
        assertThat(rewrites).as("rewrites while appending").isPositive();

        Map<String, List<Long>> readBack = new HashMap<>();
        StorageLog again = StorageLog.in(dir, StorageLog.Fsync.NEVER);
        again.load((kind, channel, epoch, position, wall, message) -> {
            assertThat(new String(message, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(position));
            readBack.computeIfAbsent(channel, c -> new ArrayList<>()).add(position);
        }, compaction);
        again.close();
        for (Kept k : channels.values()) {
            List<Long> positions = readBack.get(k.name);
            assertThat(positions).as(k.name).doesNotHaveDuplicates().isSorted();
            // Contiguous up to the last append: nothing after the last copy was lost.
            long first = positions.get(0);
            for (int i = 0; i < positions.size(); i++) {
                assertThat(positions.get(i)).as("%s entry %d", k.name, i).isEqualTo(first + i);
            }
            assertThat(positions.get(positions.size() - 1)).isEqualTo((long) APPENDS);
            assertThat(first).as("%s starts within what it kept", k.name).isLessThanOrEqualTo(APPENDS - KEEP + 1);
        }
    }

    /** A heap buffer around a new array: nothing to release. */
    private static ByteBuf body(long position) {
        return Unpooled.wrappedBuffer(Long.toString(position).getBytes(StandardCharsets.US_ASCII));
    }
}
