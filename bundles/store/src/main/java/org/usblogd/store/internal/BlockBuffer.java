package org.usblogd.store.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The samples the writer holds until the database has them for good: each channel's filling block, and
 * sealed blocks that are not yet committed or, where the database needs it, not yet synced to the disk.
 * It holds at most {@code budgetBytes} of heap: past that, the oldest sealed blocks that were never written
 * make room, counted per device. One writer thread only.
 */
final class BlockBuffer {
    private final int blockSamples;
    private final long blockAgeNanos;
    private final long budgetBytes;
    private final long idleNanos;
    private final DropCounter drops = new DropCounter("the store could not write them and its memory for"
            + " unwritten samples was full");
    private final Map<ChannelRef, Block> filling = new HashMap<>();
    /** Sealed blocks, oldest first, until the database holds them durably. */
    private final ArrayDeque<Block> sealed = new ArrayDeque<>();
    private long uncounted;

    BlockBuffer(int blockSamples, long blockAgeNanos, long budgetBytes, long idleNanos) {
        this.blockSamples = Math.max(16, blockSamples);
        this.blockAgeNanos = Math.max(1, blockAgeNanos);
        this.budgetBytes = budgetBytes;
        this.idleNanos = idleNanos;
    }

    void append(ChannelRef ref, long t, double v, long nowNanos) {
        Block b = filling.get(ref);
        if (b == null) {
            b = new Block(ref, blockSamples, nowNanos);
            filling.put(ref, b);
        }
        if (old(b, nowNanos) || !b.add(t, v, nowNanos)) {
            b.seal();
            sealed.addLast(b);
            b = new Block(ref, blockSamples, nowNanos);
            filling.put(ref, b);
            b.add(t, v, nowNanos);
        }
        uncounted++;
    }

    /** {@link #append} of {@code len} samples of one channel from {@code off} on, copied in runs. */
    void appendAll(ChannelRef ref, long[] t, double[] v, int off, int len, long nowNanos) {
        Block b = filling.get(ref);
        if (b == null) {
            b = new Block(ref, blockSamples, nowNanos);
            filling.put(ref, b);
        }
        int done = old(b, nowNanos) ? 0 : b.add(t, v, off, len, nowNanos);
        while (done < len) {
            b.seal();
            sealed.addLast(b);
            b = new Block(ref, blockSamples, nowNanos);
            filling.put(ref, b);
            done += b.add(t, v, off + done, len - done, nowNanos);
        }
        uncounted += len;
    }

    /** Blocks the database does not hold as they are, sealed ones first and oldest first. */
    List<Block> dirty() {
        List<Block> out = new ArrayList<>();
        for (Block b : sealed) {
            if (b.dirty()) {
                out.add(b);
            }
        }
        for (Block b : filling.values()) {
            if (b.dirty()) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * The blocks were committed as they are; returns how many samples that newly stores. Sealed blocks are
     * let go at once when {@code durable}, else at the next {@link #synced()}.
     */
    long committed(List<Block> written, boolean durable) {
        long added = 0;
        for (Block b : written) {
            b.inDatabase = b.size();
            b.sealedInDatabase = b.sealed();
            added += b.size() - b.counted;
            b.counted = b.size();
            b.released();
        }
        uncounted -= added;
        if (durable) {
            synced();
        }
        return added;
    }

    /** Everything committed is on the disk: sealed blocks the database holds are let go. */
    void synced() {
        sealed.removeIf(b -> !b.dirty());
    }

    /**
     * A write failed, and the database may have gone back to an earlier commit: every block still in memory
     * is written again (its row rewritten, or inserted when it is gone).
     */
    void failed() {
        for (Block b : sealed) {
            b.inDatabase = 0;
            b.sealedInDatabase = false;
        }
        for (Block b : filling.values()) {
            b.inDatabase = 0;
            b.sealedInDatabase = false;
        }
    }

    /**
     * Seals the filling blocks that are {@code blockAgeNanos} old or whose channels were quiet for a while,
     * and lets them go once written. A filling block is written again whole at every commit, and kept in
     * memory until sealed: a slow channel's block that took hours to fill would cost a commit's write and the
     * heap more the longer it filled, and a logger that sees devices come and go for years must not keep a
     * block for each forever (retention only removes sealed blocks).
     */
    void sealAged(long nowNanos) {
        Iterator<Block> it = filling.values().iterator();
        while (it.hasNext()) {
            Block b = it.next();
            if (old(b, nowNanos) || nowNanos - b.lastAppendNanos > idleNanos) {
                b.seal();
                sealed.addLast(b);
                it.remove();
            }
        }
    }

    private boolean old(Block b, long nowNanos) {
        return nowNanos - b.openedNanos >= blockAgeNanos;
    }

    /** Seals every filling block: the writer is stopping and will not rewrite them. */
    void sealAll() {
        filling.values().forEach(b -> {
            b.seal();
            sealed.addLast(b);
        });
        filling.clear();
    }

    /** Drops the oldest never-written sealed blocks while more than the budget is held. */
    void holdBudget() {
        long held = heldBytes();
        if (budgetBytes <= 0 || held <= budgetBytes) {
            return;
        }
        Iterator<Block> it = sealed.iterator();
        while (held > budgetBytes && it.hasNext()) {
            Block b = it.next();
            if (b.counted > 0 || b.rowId >= 0) {
                continue; // partly written: it has to be finished, not forgotten
            }
            it.remove();
            held -= b.heldBytes();
            uncounted -= b.size();
            drops.count(b.channel.deviceKey, b.size(), b.first(), b.last());
        }
    }

    long heldBytes() {
        long n = 0;
        for (Block b : sealed) {
            n += b.heldBytes();
        }
        for (Block b : filling.values()) {
            n += b.heldBytes();
        }
        return n;
    }

    /** Samples held that are not yet counted as written. */
    long uncounted() {
        return uncounted;
    }

    boolean anyDirty() {
        for (Block b : sealed) {
            if (b.dirty()) {
                return true;
            }
        }
        for (Block b : filling.values()) {
            if (b.dirty()) {
                return true;
            }
        }
        return false;
    }

    DropCounter drops() {
        return drops;
    }

    long budgetBytes() {
        return budgetBytes;
    }
}
