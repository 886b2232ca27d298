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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The append-only file behind {@code --data-dir}: every message a stored channel keeps is appended as it
 * is published, and read back at the next start, so a restart loses nothing that was written (and, with
 * {@link Fsync#ALWAYS}, nothing that was acknowledged). Rewritten from what is kept at each start, so it
 * holds what is live plus what was appended since.
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

    private final Path file;
    private final Fsync fsync;
    private final ScheduledExecutorService syncer;
    private FileChannel out;
    private boolean dirty;
    /** While the fresh file is written at start: one flush at its end instead of one per entry. */
    private boolean compacting;

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
        this.syncer = fsync == Fsync.EVERY_SECOND ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bayeuxd-storage-fsync");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** A log in {@code dir}, not yet read: {@link #load} reads it and opens it for appending. */
    public static StorageLog in(Path dir, Fsync fsync) {
        return new StorageLog(dir.resolve(FILE), fsync);
    }

    /**
     * Calls {@code reader} with every entry of the log (the directory is created if missing), then asks
     * {@code compacted} to write what is kept now into a fresh file that replaces the old one, and opens
     * that for appending.
     */
    public void load(EntryReader reader, Compaction compacted) {
        try {
            Files.createDirectories(file.getParent());
            int n = readAll(reader);
            Path fresh = file.resolveSibling(FILE + ".new");
            synchronized (this) {
                try (FileChannel tmp = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    out = tmp;
                    compacting = true;
                    compacted.writeTo(this);
                    compacting = false;
                    tmp.force(true);
                }
                Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                dirty = false;
            }
            if (syncer != null) {
                syncer.scheduleWithFixedDelay(this::syncQuietly, 1, 1, TimeUnit.SECONDS);
            }
            log.info("Stored channels: {} entries read back from {}", n, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** Reads entries back at start. */
    public interface EntryReader {
        /** @param message the kept bytes; valid during the call only */
        void entry(byte kind, String channel, String epoch, long position, long wallMillis, byte[] message);
    }

    /** Writes the entries of what is kept now into the fresh log. */
    public interface Compaction {
        void writeTo(StorageLog log) throws IOException;
    }

    /**
     * Appends one entry. BORROWS {@code message}. Called under the stored channel's lock, on the
     * publisher's thread; the write goes to the page cache, and with {@link Fsync#ALWAYS} also to the disk.
     */
    public synchronized void append(byte kind, String channel, String epoch, long position, long wallMillis, ByteBuf message) {
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
        entry.flip();
        try {
            while (entry.hasRemaining()) {
                out.write(entry);
            }
            if (fsync == Fsync.ALWAYS && !compacting) {
                out.force(false);
            } else {
                dirty = true;
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
    public synchronized void sync() {
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
        if (syncer != null) {
            syncer.shutdownNow();
        }
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
