package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.framework.Daemon;

/**
 * Real Felix, real FileInstall, the real plugin jars: a counter twin on the counter test plugin and the CO2
 * twin on co2mon stream while the counter driver's jar is replaced, rolled back and removed in plugins/.
 */
class HotSwapIT {
    static final String COUNTER = "1209:0010:SIM0001";
    /** The CO2 monitor of the demo: its key has the port it got, after or before the counters. */
    static final String CO2_ID = "04d9:a052";
    String co2Key;
    /** The twin sends one item per 400 ms and cycles through CO2, temperature, humidity and others. */
    static final long CO2_PERIOD_MS = 2_000;
    static final long COUNTER_PERIOD_MS = 20;

    @TempDir
    Path tmp;
    Path home;
    Path state;
    Daemon daemon;
    Framework fw;
    Samples samples;

    @BeforeEach
    void start() throws Exception {
        home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"),
                "count = 1\nperiod.ms = " + COUNTER_PERIOD_MS + "\n");
        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), "1.0.0", null, null),
                home.resolve("plugins"), "counter-driver.jar");
        daemon = new Daemon(home, state, true);
        fw = daemon.start();
        samples = new Samples(state);
        Dist.await("the CO2 monitor bound", 20_000,
                HungPluginIT.quietly(() -> (co2Key = DeviceFamilies.key(samples, CO2_ID)) != null));
        Dist.await("counter and CO2 samples", 20_000, () -> {
            try {
                return samples.times(COUNTER, "sequence").size() >= 20 && samples.times(co2Key, "co2").size() >= 3;
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() {
        daemon.stop();
    }

    @Test
    void replacingRollingBackAndRemovingADriverJarLeavesTheOtherDeviceWithoutAGap() throws Exception {
        long t0 = SampleSink.nowMicros();

        swapTo("1.0.1");
        swapTo("1.0.0"); // the old jar back: rollback
        int before = samples.times(COUNTER, "sequence").size();
        Files.delete(home.resolve("plugins/counter-driver.jar"));
        Dist.await("the counter driver uninstalled", 10_000, () -> counterBundle() == null);
        Thread.sleep(2 * CO2_PERIOD_MS);

        // The CO2 monitor on its own driver never missed a beat.
        List<Long> co2 = samples.times(co2Key, "co2");
        assertThat(Samples.largestGapMs(co2, t0)).as("largest CO2 gap (period %d ms)", CO2_PERIOD_MS)
                .isLessThan(CO2_PERIOD_MS + 200);
        // Without a driver the counter is unbound and logs nothing more.
        int after = samples.times(COUNTER, "sequence").size();
        Thread.sleep(500);
        assertThat(samples.times(COUNTER, "sequence").size()).isLessThanOrEqualTo(after + 1);
        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    /**
     * 100 updates of the counter driver while both devices stream, done as FileInstall does them (update,
     * then refresh): threads, heap after GC and live driver class loaders must stay flat. Prints the gap on
     * the swapped device per swap (median, max) and what the other device missed: the hot-swap benchmark.
     */
    @Test
    void aHundredUpdatesUnderLoadLeaveNoThreadsHeapOrClassLoadersBehind() throws Exception {
        int cycles = Integer.getInteger("usblogd.swapCycles", 100);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        List<java.lang.ref.WeakReference<ClassLoader>> loaders = new java.util.ArrayList<>();
        List<Long> swapTimes = new java.util.ArrayList<>();
        long t0 = SampleSink.nowMicros();
        int threadsAtStart = 0;
        long heapAtStart = 0;
        // The full GCs that measure the heap stop the daemon's threads too (same JVM): the twin, which keeps
        // one report, loses what it makes meanwhile. Those losses are told apart from the swaps'.
        List<long[]> gcWindows = new java.util.ArrayList<>();
        for (int i = 1; i <= cycles; i++) {
            Bundle b = counterBundle();
            loaders.add(new java.lang.ref.WeakReference<>(
                    b.adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader()));
            int before = samples.times(COUNTER, "sequence").size();
            swapTimes.add(SampleSink.nowMicros());
            b.update(new java.io.ByteArrayInputStream(PluginJars.withVersion(PluginJars.counterDriver(),
                    "1.0." + i, null, null)));
            refresh(b);
            Dist.await("samples after update " + i, 10_000, () -> samples.times(COUNTER, "sequence").size() > before);
            if (i == 10) {
                threadsAtStart = threads.getThreadCount();
                long gcFrom = SampleSink.nowMicros();
                heapAtStart = heapAfterGc(memory);
                gcWindows.add(new long[] { gcFrom, SampleSink.nowMicros() });
            }
        }
        Thread.sleep(500);
        int threadsAtEnd = threads.getThreadCount();
        long gcFrom = SampleSink.nowMicros();
        long heapAtEnd = heapAfterGc(memory);
        gcWindows.add(new long[] { gcFrom, SampleSink.nowMicros() });
        long liveOldLoaders = loaders.stream().filter(r -> r.get() != null).count();

        List<Long> sequence = samples.values(COUNTER, "sequence");
        List<Long> times = samples.times(COUNTER, "sequence").subList(0, sequence.size()); // rows only append
        List<Double> gaps = new java.util.ArrayList<>();
        for (int i = 0; i < swapTimes.size(); i++) {
            long from = swapTimes.get(i);
            long to = i + 1 < swapTimes.size() ? swapTimes.get(i + 1) : Long.MAX_VALUE;
            double largest = 0;
            for (int k = 1; k < times.size(); k++) {
                long t1 = times.get(k - 1);
                long t2 = times.get(k);
                if (t2 >= from && t1 < to && t2 - t1 > 0 && gcWindows.stream().noneMatch(w -> t1 <= w[1] && t2 >= w[0])) {
                    largest = Math.max(largest, (t2 - t1) / 1000.0);
                }
            }
            gaps.add(largest);
        }
        long lost = 0;
        long lostInGc = 0;
        for (int k = 1; k < sequence.size(); k++) {
            long missing = Math.max(0, sequence.get(k) - sequence.get(k - 1) - 1);
            if (times.get(k) >= t0 && missing > 0) {
                lost += missing;
                long from = times.get(k - 1);
                long to = times.get(k);
                if (gcWindows.stream().anyMatch(w -> from <= w[1] && to >= w[0])) {
                    lostInGc += missing;
                } else {
                    int update = 0;
                    while (update < swapTimes.size() && swapTimes.get(update) <= to) {
                        update++;
                    }
                    System.out.printf("hot-swap benchmark: %d report(s) not read before %s, %.1f ms after update %d"
                            + " began%n", missing, java.time.Instant.ofEpochMilli(to / 1000), update == 0 ? 0
                                    : (to - swapTimes.get(update - 1)) / 1000.0, update);
                }
            }
        }
        List<Double> sorted = gaps.stream().sorted().toList();
        double co2Gap = Samples.largestGapMs(samples.times(co2Key, "co2"), t0);
        System.out.printf("hot-swap benchmark: %d updates under load; swapped device (period %d ms): gap median %.1f ms,"
                + " p99 %.1f ms, max %.1f ms (outside the benchmark's own full GCs), %d reports not read (%d of them"
                + " during those GCs);"
                + " other device: largest gap %.0f ms (period %d ms); threads %d -> %d, heap after GC %d -> %d MB,"
                + " old class loaders still alive %d%n", cycles, COUNTER_PERIOD_MS, sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1), lost, lostInGc, co2Gap, CO2_PERIOD_MS, threadsAtStart, threadsAtEnd,
                heapAtStart >> 20, heapAtEnd >> 20, liveOldLoaders);

        assertThat(co2Gap).as("largest gap on the other device").isLessThan(CO2_PERIOD_MS + 200);
        assertThat(sorted.get(sorted.size() - 1)).as("largest swap gap").isLessThan(1_000.0);
        assertThat(threadsAtEnd).as("threads").isLessThanOrEqualTo(threadsAtStart + 2);
        assertThat(liveOldLoaders).as("class loaders of replaced driver versions still reachable").isLessThanOrEqualTo(1);
        assertThat(heapAtEnd - heapAtStart).as("heap growth after GC, bytes").isLessThan(32L << 20);
    }

    private void refresh(Bundle b) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        fw.adapt(org.osgi.framework.wiring.FrameworkWiring.class).refreshBundles(List.of(b), e -> done.countDown());
        assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("refreshed").isTrue();
    }

    private static long heapAfterGc(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Replaces the jar in plugins/ and waits for that version to log. */
    private void swapTo(String version) throws Exception {
        int before = samples.times(COUNTER, "sequence").size();
        long swapped = SampleSink.nowMicros();
        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), version, null, null),
                home.resolve("plugins"), "counter-driver.jar");
        Dist.await("version " + version + " installed", 10_000,
                () -> counterBundle() != null && counterBundle().getVersion().equals(Version.parseVersion(version))
                        && counterBundle().getState() == Bundle.ACTIVE);
        Dist.await("samples from " + version, 10_000,
                () -> samples.times(COUNTER, "sequence").size() >= before + 10);
        List<Long> times = samples.times(COUNTER, "sequence");
        System.out.printf("swap to %s: largest counter gap %.1f ms%n", version, Samples.largestGapMs(times, swapped));
    }

    private Bundle counterBundle() {
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if ("org.usblogd.counter-driver".equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
