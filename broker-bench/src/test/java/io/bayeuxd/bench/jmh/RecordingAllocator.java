package io.bayeuxd.bench.jmh;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Unpooled buffers, each one remembered so that a test can check that all were released. One thread only. */
final class RecordingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    RecordingAllocator() {
        super(false);
    }

    int allocatedCount() {
        return allocated.size();
    }

    /** How many of the buffers handed out still hold a reference. */
    long unreleasedCount() {
        return allocated.stream().filter(b -> b.refCnt() != 0).count();
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return record(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return record(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf record(ByteBuf buffer) {
        allocated.add(buffer);
        return buffer;
    }
}
