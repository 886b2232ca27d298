package io.bayeuxd.storage;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The append-only file behind {@code --data-dir}: every message a stored channel keeps is appended as it
 * is published, and read back at the next start, so a restart loses nothing that was written (and, with
 * {@link Fsync#ALWAYS}, nothing that was acknowledged). Rewritten from what is kept at each start, so it
 * holds what is live plus what was appended since; and again, while running, whenever it has grown to
 * twice that ({@link #compactIfGrown}).
 *
 * <p>An entry: {@code int length, int crc32, byte kind, channel, epoch, long position, long wall-clock
 * millis, message bytes}. A torn or corrupt tail (a crash mid-write) ends the reading there, with one
 * warning.
 */
public final class StorageLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageLog.class);
    static final String FILE = "stored-channels.log";

    /** The entry keeps a history message. */
    static final byte HISTORY = 1;
    /** The entry keeps a record operation (a Webix insert, update or delete). */
    static final byte RECORD = 2;

    /** The file is rewritten once it is this much larger than after its last rewrite, and at least this large. */
    static final long COMPACT_AT_LEAST_BYTES = 64L << 20;

    private final Path file;
    private final Fsync fsync;
    /** Flushes every second ({@link Fsync#EVERY_SECOND}) and rewrites the file when it has grown; off the event loops. */
    private final ScheduledExecutorService worker;
    private FileChannel out;
    private boolean dirty;
    /** While the fresh file is written at start: one flush at its end instead of one per entry. */
    private boolean compacting;
    private Compaction compaction;
    /** Bytes in the file now, and after its last rewrite. */
    private long size;
    private long sizeAfterRewrite;
    private long compactAtBytes = COMPACT_AT_LEAST_BYTES;
    /** While the file is rewritten at run time: the fresh file, and which channels it has taken already. */
    private FileChannel fresh;
    private Set<String> freshBefore;
    private Set<String> freshTaken;

    /** When appended entries reach the disk. */
    public enum Fsync {
        /** Before the publication is acknowledged: nothing acknowledged is lost, at the cost of a disk flush each. */
        ALWAYS,
        /** Once a second, from a thread of its own: a crash loses at most the last second. */
        EVERY_SECOND,
        /** When the operating system decides: a broker crash loses nothing, a machine crash may. */
        NEVER
    }

    private StorageLog(Path file, Fsync fsync) {
        this.file = file;
        this.fsync = fsync;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayeuxd-storage");
            t.setDaemon(true);
            return t;
        });
    }

    /** A log in {@code dir}, not yet read: {@link #load} reads it and opens it for appending. */
    static StorageLog in(Path dir, Fsync fsync) {
        return new StorageLog(dir.resolve(FILE), fsync);
    }

    /**
     * Calls {@code reader} with every entry of the log (the directory is created if missing), then asks
     * {@code compacted} to write what is kept now into a fresh file that replaces the old one, and opens
     * that for appending.
     */
    void load(EntryReader reader, Compaction compacted) {
        try {
            Files.createDirectories(file.getParent());
            int n = readAll(reader);
            this.compaction = compacted;
            Path freshFile = file.resolveSibling(FILE + ".new");
            synchronized (this) {
                try (FileChannel tmp = FileChannel.open(freshFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    out = tmp;
                    compacting = true;
                    EntryWriter toTmp = new EntryWriter() {
                        @Override
                        public void write(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message) {
                            append(kind, channel, epoch, position, wallMillis, message);
                        }

                        @Override
                        public void channelDone(String channel) {
                        }
                    };
                    for (String channel : compacted.channels()) {
                        compacted.write(channel, toTmp);
                    }
                    compacting = false;
                    tmp.force(true);
                }
                Files.move(freshFile, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                dirty = false;
                size = sizeAfterRewrite = Files.size(file);
            }
            if (fsync == Fsync.EVERY_SECOND) {
                worker.scheduleWithFixedDelay(this::syncQuietly, 1, 1, TimeUnit.SECONDS);
            }
            worker.scheduleWithFixedDelay(this::compactIfGrown, 10, 10, TimeUnit.SECONDS);
            log.info("Stored channels: {} entries read back from {}", n, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** For tests: rewrite once the file passes {@code bytes} (and twice its size after the last rewrite). */
    void compactAt(long bytes) {
        compactAtBytes = bytes;
    }

    /**
     * Rewrites the file from what is kept now when it has grown to twice its size after the last rewrite
     * (and at least {@link #COMPACT_AT_LEAST_BYTES}), while publications go on: each channel is copied
     * under its own lock, and until the switch an append goes to the fresh file too when its channel was
     * copied already, or did not exist when the copy began.
     *
     * @return whether it rewrote the file
     */
    boolean compactIfGrown() {
        Collection<String> names;
        synchronized (this) {
            if (out == null || fresh != null || size < Math.max(compactAtBytes, 2 * sizeAfterRewrite)) {
                return false;
            }
        }
        names = compaction.channels();
        synchronized (this) {
            if (out == null || fresh != null || size < Math.max(compactAtBytes, 2 * sizeAfterRewrite)) {
                return false;
            }
            try {
                fresh = FileChannel.open(file.resolveSibling(FILE + ".new"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                log.warn("Cannot rewrite {}: {}", file, e.getMessage());
                return false;
            }
            freshTaken = new HashSet<>();
            freshBefore = new HashSet<>(names);
        }
        try {
            EntryWriter toFresh = new EntryWriter() {
                @Override
                public void write(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message) {
                    synchronized (StorageLog.this) {
                        writeTo(fresh, entry(kind, channel, epoch, position, wallMillis, message));
                    }
                }

                @Override
                public void channelDone(String channel) {
                    synchronized (StorageLog.this) {
                        freshTaken.add(channel);
                    }
                }

            };
            for (String channel : names) {
                compaction.write(channel, toFresh);
            }
            synchronized (this) {
                fresh.force(true);
                fresh.close();
                Files.move(file.resolveSibling(FILE + ".new"), file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                out.close();
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                size = sizeAfterRewrite = Files.size(file);
                dirty = false;
                fresh = null;
                freshBefore = freshTaken = null;
            }
            log.info("Rewrote {} from what is kept: {} bytes", file, sizeAfterRewrite);
            return true;
        } catch (IOException | UncheckedIOException e) {
            synchronized (this) {
                closeQuietly(fresh);
                fresh = null;
                freshBefore = freshTaken = null;
            }
            log.warn("Rewriting {} failed, appending to it as before: {}", file, e.getMessage());
            return false;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    /** Reads entries back at start. */
    public interface EntryReader {
        /** @param message the kept bytes; valid during the call only */
        void entry(byte kind, String channel, String epoch, long position, long wallMillis, byte[] message);
    }

    /** What a rewrite copies into the fresh file: the channels kept now, each whole, under its lock. */
    public interface Compaction {
        /** The names of the channels kept now. */
        Collection<String> channels();

        /**
         * Writes what {@code channel} keeps now to {@code writer} (nothing if it is gone), then calls
         * {@link EntryWriter#channelDone}, all under the channel's lock.
         */
        void write(String channel, EntryWriter writer);
    }

    /** Where a compaction writes; each channel is written whole under its lock, then {@link #channelDone}. */
    public interface EntryWriter {
        /** BORROWS {@code message}. */
        void write(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message);

        /** {@code channel} is in the fresh file: its next appends go there too. */
        void channelDone(String channel);
    }

    /**
     * Appends one entry. BORROWS {@code message}. Called under the stored channel's lock, on the
     * publisher's thread; the write goes to the page cache, and with {@link Fsync#ALWAYS} also to the disk.
     */
    synchronized void append(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message) {
        ByteBuffer entry = entry(kind, channel, epoch, position, wallMillis, message);
        int length = entry.remaining();
        writeTo(out, entry);
        size += length;
        if (fresh != null && (!freshBefore.contains(channel) || freshTaken.contains(channel))) {
            writeTo(fresh, entry.rewind());
        }
        try {
            if (fsync == Fsync.ALWAYS && !compacting) {
                out.force(false);
            } else {
                dirty = true;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to " + file, ex);
        }
    }

    private static ByteBuffer entry(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message) {
        byte[] c = channel.getBytes(StandardCharsets.UTF_8);
        byte[] e = epoch.getBytes(StandardCharsets.UTF_8);
        int bodyLength = 1 + 2 + c.length + 2 + e.length + 8 + 8 + message.readableBytes();
        ByteBuffer entry = ByteBuffer.allocate(8 + bodyLength);
        entry.putInt(bodyLength).putInt(0);
        entry.put(kind).putShort((short) c.length).put(c).putShort((short) e.length).put(e).putLong(position).putLong(wallMillis);
        message.getBytes(message.readerIndex(), entry);
        CRC32 crc = new CRC32();
        crc.update(entry.array(), 8, bodyLength);
        entry.putInt(4, (int) crc.getValue());
        return entry.flip();
    }

    private void writeTo(FileChannel channel, ByteBuffer entry) {
        try {
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to " + file, ex);
        }
    }

    private int readAll(EntryReader reader) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int n = 0;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            for (;;) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return n;
                }
                if (length < 22 || length > 64 << 20) {
                    log.warn("{}: entry {} has an impossible length; the rest of the file is ignored", file, n);
                    return n;
                }
                int crc;
                byte[] body = new byte[length];
                try {
                    crc = in.readInt();
                    in.readFully(body);
                } catch (EOFException torn) {
                    log.warn("{}: the last entry was cut short (a crash while writing); it is ignored", file);
                    return n;
                }
                CRC32 check = new CRC32();
                check.update(body);
                if ((int) check.getValue() != crc) {
                    log.warn("{}: entry {} is corrupt; the rest of the file is ignored", file, n);
                    return n;
                }
                ByteBuffer b = ByteBuffer.wrap(body);
                byte kind = b.get();
                String channel = string(b);
                String epoch = string(b);
                long position = b.getLong();
                long wallMillis = b.getLong();
                byte[] message = new byte[b.remaining()];
                b.get(message);
                reader.entry(kind, channel, epoch, position, wallMillis, message);
                n++;
            }
        }
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            log.warn("Flushing {} to disk failed: {}", file, e.getMessage());
        }
    }

    /** Forces appended entries to the disk. */
    synchronized void sync() {
        if (!dirty || out == null) {
            return;
        }
        try {
            out.force(false);
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        synchronized (this) {
            try {
                if (out != null) {
                    out.force(false);
                    out.close();
                }
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", file, e.getMessage());
            }
            out = null;
        }
    }
}
