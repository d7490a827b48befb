package org.usblogd.store.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One device's way into the store: its sessions append samples to a chunk under this device's own lock,
 * which only that device's thread takes but for the writer's visits, and a full chunk goes to the writer's
 * queue in one hand-off. The writer also collects the partly filled chunk at each of its commits, so a
 * device that delivers once a second is stored within the visibility interval all the same. Its chunks
 * come back to it once written, so a busy device fills the same arrays again rather than new ones.
 */
final class DeviceFeed {
    final String deviceKey;
    private final int chunkSamples;
    private final ChunkQueue queue;
    private final BooleanSupplier refusing;
    private Chunk filling;
    private Chunk spare;
    private long accepted;
    /** How far the last chunk grew: a busy device's next chunk starts that large rather than growing again. */
    private int grownTo = Chunk.FIRST_CAPACITY;
    /** The filling and the spare chunk's heap, for the writer's figure of what it holds. */
    private volatile long heldBytes;
    /** Set once the device has left: where samples given after that are counted. */
    private AtomicLong retired;

    /**
     * @param chunkSamples the most samples in one chunk
     * @param refusing whether the store is closing and takes no more samples
     */
    DeviceFeed(String deviceKey, int chunkSamples, ChunkQueue queue, BooleanSupplier refusing) {
        this.deviceKey = deviceKey;
        this.chunkSamples = Math.max(1, chunkSamples);
        this.queue = queue;
        this.refusing = refusing;
    }

    synchronized void append(ChannelRef ref, long t, double v) {
        count(1);
        if (refusing.getAsBoolean()) {
            queue.refuse(deviceKey, 1, t, t);
            return;
        }
        Chunk c = filling();
        room(c, 1);
        c.add(ref, t, v);
        if (c.full() || retired != null) {
            handOff();
        }
    }

    /** {@code n} samples of one channel from the caller's arrays, copied before this returns. */
    synchronized void append(ChannelRef ref, long[] t, double[] v, int offset, int n) {
        if (n == 0) {
            return;
        }
        count(n);
        if (refusing.getAsBoolean()) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = offset; i < offset + n; i++) {
                first = Math.min(first, t[i]);
                last = Math.max(last, t[i]);
            }
            queue.refuse(deviceKey, n, first, last);
            return;
        }
        int done = 0;
        while (done < n) {
            Chunk c = filling();
            int k = room(c, n - done);
            c.add(ref, t, v, offset + done, k);
            done += k;
            if (c.full() || retired != null && done == n) {
                handOff();
            }
        }
    }

    /** Hands the partly filled chunk to the writer's queue (the writer calls this before it commits). */
    synchronized void collect() {
        if (filling != null && filling.size > 0) {
            handOff();
        }
    }

    /**
     * The device has left, and the writer no longer visits this feed: what it holds goes to the writer now,
     * its spare chunk is let go, and a sample a session still gives (a driver slow to stop) goes to the writer
     * at once, counted in {@code acceptedAfter} (which this feed's count also joins). A device that comes back
     * gets a new feed; without this, each device key ever seen would keep its chunks for good.
     */
    synchronized void retire(AtomicLong acceptedAfter) {
        retired = acceptedAfter;
        acceptedAfter.addAndGet(accepted);
        spare = null;
        grownTo = Chunk.FIRST_CAPACITY; // each late sample goes alone: not in a chunk as large as a busy one
        collect();
        updateHeld();
    }

    /** A chunk the writer has stored comes back to be filled again; one is kept while the device is here. */
    synchronized void recycle(Chunk c) {
        if (spare == null && retired == null) {
            c.clear();
            spare = c;
            updateHeld();
        }
    }

    /** Samples the device's sessions gave the store, stored or not. */
    synchronized long accepted() {
        return accepted;
    }

    long heldBytes() {
        return heldBytes;
    }

    private void count(int n) {
        if (retired == null) {
            accepted += n;
        } else {
            retired.addAndGet(n);
        }
    }

    private Chunk filling() {
        if (filling == null) {
            if (spare != null) {
                filling = spare;
                spare = null;
            } else {
                filling = new Chunk(this, chunkSamples, grownTo);
            }
            updateHeld();
        }
        return filling;
    }

    private int room(Chunk c, int wanted) {
        int slots = c.times.length;
        int room = c.room(wanted);
        if (c.times.length != slots) {
            updateHeld();
        }
        return room;
    }

    private void handOff() {
        Chunk c = filling;
        filling = null;
        grownTo = c.times.length;
        queue.offer(c);
        updateHeld();
    }

    private void updateHeld() {
        heldBytes = (filling == null ? 0 : filling.heldBytes()) + (spare == null ? 0 : spare.heldBytes());
    }
}
