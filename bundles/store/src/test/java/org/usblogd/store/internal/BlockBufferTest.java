package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.BlockCodec;

/**
 * Blocks as the writer fills them: one sample or a run at a time, stored at every commit without encoding
 * what was stored before, and sealed at capacity or when a time goes back.
 */
class BlockBufferTest {
    private static final ChannelRef TEMPERATURE = new ChannelRef("1209:0001:A", new Channel("temperature", "°C",
            "temperature"));
    private static final ChannelRef HUMIDITY = new ChannelRef("1209:0001:A", new Channel("humidity", "%",
            "humidity"));

    private static long[] steadyTimes(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_000_000L + 100_000L * i;
        }
        return t;
    }

    private static double[] tenths(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 20 + i % 50 / 10.0;
        }
        return v;
    }

    private static List<Long> times(Block b) {
        List<StoredSample> samples = new ArrayList<>();
        b.addSince(0, samples);
        return samples.stream().map(StoredSample::timeMicros).toList();
    }

    @Test
    void aRunIsTakenUpToTheTimeThatGoesBackwards() {
        Block b = new Block(TEMPERATURE, 100, 0);
        long[] t = { 10, 20, 20, 30, 25, 40 };
        double[] v = { 1, 2, 3, 4, 5, 6 };

        assertThat(b.add(t, v, 0, t.length, 7)).isEqualTo(4);
        assertThat(times(b)).containsExactly(10L, 20L, 20L, 30L);
        assertThat(b.first()).isEqualTo(10);
        assertThat(b.last()).isEqualTo(30);
        assertThat(b.lastAppendNanos).isEqualTo(7);
        assertThat(b.add(t, v, 4, 2, 8)).as("25 after 30").isZero();
        assertThat(b.add(t, v, 5, 1, 9)).isEqualTo(1);
        assertThat(b.bytes()).isEqualTo(BlockCodec.encode(new long[] { 10, 20, 20, 30, 40 },
                new double[] { 1, 2, 3, 4, 6 }, 5));
    }

    @Test
    void aRunStopsAtCapacityAndASealedBlockTakesNothing() {
        Block b = new Block(TEMPERATURE, 100, 0);
        long[] t = steadyTimes(150);
        double[] v = tenths(150);

        assertThat(b.add(t, v, 0, 30, 0)).isEqualTo(30);
        assertThat(b.add(t, v, 30, 120, 0)).isEqualTo(70);
        assertThat(b.size()).isEqualTo(100);
        assertThat(b.add(t, v, 100, 50, 0)).isZero();
        assertThat(b.add(t[100], v[100], 0)).isFalse();
        assertThat(b.bytes()).isEqualTo(BlockCodec.encode(t, v, 100));

        Block s = new Block(TEMPERATURE, 100, 0);
        s.add(t, v, 0, 10, 0);
        s.seal();
        assertThat(s.add(t, v, 10, 10, 0)).isZero();
        assertThat(s.size()).isEqualTo(10);
    }

    @Test
    void aBlockStoredAtEveryCommitHasTheOneShotBytesAndSealsToThem() {
        Random r = new Random(21);
        int n = 4096;
        long[] t = steadyTimes(n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i == 3000 ? Math.PI : Math.round(r.nextGaussian() * (i < 1000 ? 10 : 1000)) / 100.0;
        }
        Block b = new Block(TEMPERATURE, n, 0);
        int at = 0;
        while (at < n) {
            int run = Math.min(n - at, 1 + r.nextInt(300));
            if (run % 2 == 0) {
                assertThat(b.add(t, v, at, run, 0)).isEqualTo(run);
            } else {
                for (int i = at; i < at + run; i++) {
                    assertThat(b.add(t[i], v[i], 0)).isTrue();
                }
            }
            at += run;
            byte[] stored = b.bytes();
            assertThat(stored).as("after %d samples", at).isEqualTo(BlockCodec.encode(t, v, at));
            assertThat(b.heldBytes()).as("the encoder's sections are counted")
                    .isGreaterThan(Block.OVERHEAD_BYTES + 16L * at + stored.length / 2);
        }
        byte[] before = b.bytes();
        b.seal();
        assertThat(b.bytes()).isEqualTo(before);
        assertThat(b.heldBytes()).as("sealed: its bytes only").isEqualTo(Block.OVERHEAD_BYTES + before.length);
        assertThat(b.firstValue()).isEqualTo(v[0]);
        assertThat(times(b)).hasSize(n).startsWith(t[0]).endsWith(t[n - 1]);
    }

    /** What the writer does at a commit: stores each dirty block, tells the new samples, counts them. */
    private static void commit(BlockBuffer buffer, List<StoredSample> told) {
        List<Block> dirty = buffer.dirty();
        dirty.forEach(Block::bytes);
        dirty.forEach(b -> b.addSince(b.counted, told));
        buffer.committed(dirty, true);
    }

    private static Block sealedAlone(BlockBuffer buffer) {
        buffer.sealAll();
        List<Block> blocks = buffer.dirty();
        assertThat(blocks).hasSize(1);
        return blocks.get(0);
    }

    @Test
    void aSlowChannelsFillingBlockHoldsWhatWasCommittedEncodedNotAsArraysOfSixteenBytesASample() {
        BlockBuffer buffer = new BlockBuffer(4096, Long.MAX_VALUE, 0, Long.MAX_VALUE);
        int n = 4000;
        long[] t = steadyTimes(n);
        // tenths, then hundredths: the scale rises after the first 2,000 left the arrays
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < 2000 ? 20 + i % 50 / 10.0 : 20 + i % 50 / 100.0;
        }
        List<StoredSample> told = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            buffer.append(TEMPERATURE, t[i], v[i], i); // one sample a commit, as at 1 Hz
            commit(buffer, told);
        }

        assertThat(buffer.heldBytes()).as("a 4,000-sample block after 4,000 commits, against %d as arrays", 16 * n)
                .isLessThan(Block.OVERHEAD_BYTES + 16 * 64 + 4L * n);
        assertThat(told).extracting(StoredSample::timeMicros).containsExactlyElementsOf(
                Arrays.stream(t).boxed().toList());
        assertThat(told).extracting(StoredSample::value).containsExactlyElementsOf(
                Arrays.stream(v).boxed().toList());
        Block b = sealedAlone(buffer);
        assertThat(b.bytes()).isEqualTo(BlockCodec.encode(t, v, n));
        assertThat(b.firstValue()).isEqualTo(v[0]);
        assertThat(times(b)).containsExactlyElementsOf(Arrays.stream(t).boxed().toList());
    }

    @Test
    void samplesOfCommitsThatFailedStayUntilOneWorksAndAreToldThenOnce() {
        BlockBuffer buffer = new BlockBuffer(4096, Long.MAX_VALUE, 0, Long.MAX_VALUE);
        int n = 1000;
        long[] t = steadyTimes(n);
        double[] v = tenths(n);
        List<StoredSample> told = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            buffer.append(TEMPERATURE, t[i], v[i], i);
            if (i >= 300 && i < 700) {
                buffer.dirty().forEach(Block::bytes); // stored, but the commit failed
                buffer.failed();
            } else {
                commit(buffer, told);
            }
        }

        assertThat(told).extracting(StoredSample::timeMicros).containsExactlyElementsOf(
                Arrays.stream(t).boxed().toList());
        assertThat(sealedAlone(buffer).bytes()).isEqualTo(BlockCodec.encode(t, v, n));
    }

    @Test
    void appendAllSealsAndOpensBlocksAsAppendDoes() {
        Random r = new Random(22);
        BlockBuffer runs = new BlockBuffer(64, Long.MAX_VALUE, 0, Long.MAX_VALUE);
        BlockBuffer single = new BlockBuffer(64, Long.MAX_VALUE, 0, Long.MAX_VALUE);
        long now = 5_000_000;
        long total = 0;
        for (int batch = 0; batch < 200; batch++) {
            for (ChannelRef ref : List.of(TEMPERATURE, HUMIDITY)) {
                int len = r.nextInt(150);
                long[] t = new long[len + 4];
                double[] v = new double[len + 4];
                for (int i = 0; i < t.length; i++) {
                    now += r.nextInt(40) == 0 ? -r.nextInt(1_000_000) : r.nextInt(200_000); // now and then back
                    t[i] = now;
                    v[i] = r.nextInt(1000) / 10.0;
                }
                runs.appendAll(ref, t, v, 2, len, batch);
                for (int i = 2; i < 2 + len; i++) {
                    single.append(ref, t[i], v[i], batch);
                }
                total += len;
            }
        }
        assertThat(runs.uncounted()).isEqualTo(total);
        List<Block> a = runs.dirty();
        List<Block> b = single.dirty();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).channel).isSameAs(b.get(i).channel);
            assertThat(a.get(i).sealed()).isEqualTo(b.get(i).sealed());
            assertThat(a.get(i).bytes()).as("block %d", i).isEqualTo(b.get(i).bytes());
            assertThat(a.get(i).lastAppendNanos).isEqualTo(b.get(i).lastAppendNanos);
        }
        assertThat(runs.heldBytes()).isEqualTo(single.heldBytes());
    }

    @Test
    void aRunThatGoesBackOrOutlastsABlockContinuesInNewBlocks() {
        BlockBuffer buffer = new BlockBuffer(16, Long.MAX_VALUE, 0, Long.MAX_VALUE);
        long[] t = steadyTimes(40);
        double[] v = tenths(40);
        t[10] = t[9] - 1; // back in the middle

        buffer.appendAll(TEMPERATURE, t, v, 0, 40, 0);

        List<Block> blocks = buffer.dirty();
        assertThat(blocks).extracting(Block::size).containsExactly(10, 16, 14);
        assertThat(blocks).extracting(Block::sealed).containsExactly(true, true, false);
        assertThat(blocks.get(1).first()).isEqualTo(t[10]);
        assertThat(buffer.uncounted()).isEqualTo(40);
        assertThat(buffer.committed(blocks, true)).isEqualTo(40);
    }

    @Test
    void aBlockIsSealedOnceItIsOldEnoughThoughItsChannelKeepsDeliveringAndTheNextSampleOpensANewOne() {
        long minute = 60_000_000_000L;
        BlockBuffer buffer = new BlockBuffer(4096, 10 * minute, 0, 10 * minute);
        long[] t = steadyTimes(700);
        double[] v = tenths(700);
        List<StoredSample> told = new ArrayList<>();
        Set<Block> blocks = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 700; i++) { // one a second, as a thermometer reads
            long now = 1_000_000_000L * i;
            if (i % 2 == 1) {
                buffer.sealAged(now); // not at 600 s: the block is found old when the sample comes
            }
            buffer.append(TEMPERATURE, t[i], v[i], now);
            buffer.appendAll(HUMIDITY, t, v, i, 1, now); // the writer's path
            blocks.addAll(buffer.dirty());
            commit(buffer, told);
        }

        for (ChannelRef ref : List.of(TEMPERATURE, HUMIDITY)) {
            List<Block> of = blocks.stream().filter(b -> b.channel == ref).toList();
            assertThat(of).extracting(Block::size).as("%s closed at ten minutes, not at 4,096 samples",
                    ref.channel.name()).containsExactlyInAnyOrder(600, 100);
            assertThat(of).filteredOn(Block::sealed).extracting(Block::size).containsExactly(600);
            assertThat(of).filteredOn(Block::sealed).first().extracting(Block::bytes)
                    .isEqualTo(BlockCodec.encode(t, v, 600));
            assertThat(of).filteredOn(b -> !b.sealed()).first().extracting(Block::first).isEqualTo(t[600]);
        }
        assertThat(told).hasSize(1_400);
    }
}
