package org.usblogd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Power cuts at random moments under the assembled daemon on a real kernel: the daemon logs numbered lines
 * from QEMU's FTDI adapter (50 a second, through the serial line driver) with its state on a guest-local
 * ext4 disk, and QEMU is killed 2 to 40 s after the daemon was started (so some cuts fall into start-up,
 * most into ingest, some into maintenance). Each boot first exports what the disk holds (read-only, before
 * the daemon touches it), then runs the daemon, which checks its high-water mark; one more boot at the end
 * exports and checks the last cut. For each cut: whether the file opened as it was, the loss window (from
 * the cut back to the oldest line of the lost tail), lines missing inside what was kept, lines present
 * after an earlier cut and missing now, and whether the daemon said it went back in time.
 */
final class PowerCuts {
    /** What one cut cost. */
    record Cut(int number, long fedLines, long lossWindowMs, int holes, int missingEarlier, boolean openedAsIs,
            boolean rollbackSaid, long fileBytes, long storedLines) {

        boolean lostBeyond(long windowMs) {
            return lossWindowMs > windowMs || holes > 0 || missingEarlier > 0;
        }
    }

    private static final String SERIAL_CFG = "# QEMU's FTDI adapter, fed numbered lines by the power-cut test\n"
            + "match.vid = 0403\nmatch.pid = 6001\nbaud = 115200\nformat = keyvalue\nchannel.n.unit = 1\n";

    private final Path work;
    private final Path guest;
    private final Random random;
    private final List<long[]> cutAt = new ArrayList<>();
    private final List<LineFeeder> feeders = new ArrayList<>();

    PowerCuts(Path work, long seed) throws IOException, InterruptedException {
        this.work = work;
        this.guest = QemuGuest.built();
        this.random = new Random(seed);
    }

    /** Runs {@code cuts} cuts on one disk and returns what each cost. */
    List<Cut> run(int cuts) throws Exception {
        Path home = work.resolve("home");
        PluginJars.copyOfInstallation(home);
        Files.writeString(home.resolve("conf/org.usblogd.serial-qemu.cfg"), SERIAL_CFG);
        Path disk = work.resolve("state.img");
        QemuGuest.formatDisk(disk, 512);
        Files.createDirectories(work.resolve("out"));
        long next = 0;
        for (int k = 1; k <= cuts; k++) {
            next = runAndCut(k, disk, next);
        }
        check(cuts + 1, disk);
        return analyse(cuts);
    }

    private long runAndCut(int k, Path disk, long first) throws Exception {
        Path script = script(k, true);
        Path socket = work.resolve("ftdi.sock");
        LineFeeder feeder = new LineFeeder(first, 50);
        feeders.add(feeder);
        try (QemuGuest g = QemuGuest.boot(guest, work, script, disk, socket, work.resolve("out/" + k + ".console"))) {
            await(() -> Files.exists(out(k, "started")) || !g.running(), 180_000, "boot " + k + " started its daemon");
            if (random.nextInt(5) == 0) {
                Thread.sleep(1_000 + random.nextInt(14_000)); // a cut while the daemon starts
            } else {
                await(() -> logHas(out(k, "daemon.log"), "binding driver serial") || !g.running(), 300_000,
                        "boot " + k + ": the daemon reading the serial adapter");
                feeder.start(socket);
                Thread.sleep(3_000 + random.nextInt(27_000)); // a cut during ingest
            }
            long cut = System.nanoTime();
            g.powerCut();
            cutAt.add(new long[] { first, cut });
        }
        return feeder.stop();
    }

    /** What a clean run holds: a fresh disk, lines fed for {@code seconds}, a clean stop; bytes and lines. */
    long[] cleanRun(int seconds) throws Exception {
        Path disk = work.resolve("clean.img");
        QemuGuest.formatDisk(disk, 512);
        String k = "clean";
        Path socket = work.resolve("ftdi-clean.sock");
        String opts = "USBLOGD_JAVA_OPTS='-Djava.io.tmpdir=/tmp -Xmx256m -XX:TieredStopAtLevel=1'";
        Path script = work.resolve("boot-clean.sh");
        Files.writeString(script, "set -u\nW=" + work + "\nK=" + k + "\n"
                + "mkdir -p /run/state && mount -t ext4 /dev/vda /run/state || exit 1\n"
                + opts + " $W/home/bin/usblogd run --state /run/state > $W/out/$K.daemon.log 2>&1 &\n"
                + "while [ ! -e $W/out/$K.stop ]; do sleep 0.5; done\nkill -TERM $!; wait\n"
                + "stat -c %s /run/state/db/usblogd.mv.db > $W/out/$K.size\n"
                + opts + " $W/home/bin/usblogd export --channel n --state /run/state > $W/out/$K.export.csv\n"
                + "umount /run/state\n");
        try (QemuGuest g = QemuGuest.boot(guest, work, script, disk, socket, work.resolve("out/clean.console"));
                LineFeeder feeder = new LineFeeder(0, 50)) {
            await(() -> logHas(work.resolve("out/clean.daemon.log"), "binding driver serial") || !g.running(), 300_000,
                    "the clean run's daemon reading the serial adapter");
            feeder.start(socket);
            Thread.sleep(seconds * 1_000L);
            feeder.stop();
            Thread.sleep(2_000);
            Files.writeString(work.resolve("out/clean.stop"), "");
            if (!g.awaitPowerOff(300)) {
                throw new IOException("the clean run did not finish: see " + work.resolve("out/clean.console"));
            }
        }
        return new long[] { Long.parseLong(read(work.resolve("out/clean.size")).strip()),
                Dist.csvRows(read(work.resolve("out/clean.export.csv"))).size() };
    }

    /** The last boot: export what the last cut left, and let the daemon check it. */
    private void check(int k, Path disk) throws Exception {
        try (QemuGuest g = QemuGuest.boot(guest, work, script(k, false), disk, null,
                work.resolve("out/" + k + ".console"))) {
            if (!g.awaitPowerOff(300)) {
                throw new IOException("the checking boot did not finish in 300 s: see " + work.resolve("out/" + k
                        + ".console"));
            }
        }
    }

    private Path script(int k, boolean run) throws IOException {
        String w = work.toString();
        // C1 only: the guest's emulated CPU spends less time compiling, so the daemon starts sooner
        String opts = "USBLOGD_JAVA_OPTS='-Djava.io.tmpdir=/tmp -Xmx256m -XX:TieredStopAtLevel=1'";
        String s = "set -u\nW=" + w + "\nK=" + k + "\n"
                + "mkdir -p /run/state && mount -t ext4 /dev/vda /run/state || { echo '[guest] no state disk'; exit 1; }\n"
                + "if [ -e /run/state/db/usblogd.mv.db ]; then\n"
                + "  stat -c %s /run/state/db/usblogd.mv.db > $W/out/$K.size\n"
                + "  " + opts + " $W/home/bin/usblogd export --channel n --state /run/state > $W/out/$K.export.csv"
                + " 2> $W/out/$K.export.err\n"
                + "fi\n"
                + "touch $W/out/$K.started\n"
                + (run ? opts + " $W/home/bin/usblogd run --state /run/state > $W/out/$K.daemon.log 2>&1\n"
                        : opts + " $W/home/bin/usblogd run --state /run/state > $W/out/$K.daemon.log 2>&1 &\n"
                                + "for i in $(seq 1 120); do grep -q 'usblogd started' $W/out/$K.daemon.log && break;"
                                + " sleep 1; done\nsleep 3\nkill -TERM $!; wait\numount /run/state\n");
        Path script = work.resolve("boot-" + k + ".sh");
        Files.writeString(script, s);
        return script;
    }

    private List<Cut> analyse(int cuts) throws IOException {
        List<Cut> result = new ArrayList<>();
        Set<Long> before = new HashSet<>();
        for (int k = 1; k <= cuts; k++) {
            Set<Long> stored = exported(k + 1);
            long first = cutAt.get(k - 1)[0];
            long cut = cutAt.get(k - 1)[1];
            LineFeeder feeder = feeders.get(k - 1);
            long fed = 0;
            while (feeder.sentAt(first + fed) != null) {
                fed++;
            }
            // the lost tail: the run's newest lines, all missing; the window reaches back to the oldest of them
            long tail = first + fed;
            while (tail > first && !stored.contains(tail - 1)) {
                tail--;
            }
            long window = tail == first + fed ? 0 : (cut - feeder.sentAt(tail)) / 1_000_000;
            // lines missing inside what was kept; before the run's first stored line they are the adapter's (the
            // driver purges its buffer when it opens it), not the store's
            long firstStored = first;
            while (firstStored < tail && !stored.contains(firstStored)) {
                firstStored++;
            }
            int holes = 0;
            for (long n = firstStored; n < tail; n++) {
                if (!stored.contains(n)) {
                    holes++;
                }
            }
            Set<Long> missing = new TreeSet<>(before);
            missing.removeAll(stored);
            String log = read(out(k + 1, "daemon.log"));
            boolean openedAsIs = !log.contains("could not be opened");
            boolean said = log.contains("opened at an older version");
            String size = read(out(k + 1, "size")).strip();
            result.add(new Cut(k, fed, window, holes, missing.size(), openedAsIs, said,
                    size.isEmpty() ? 0 : Long.parseLong(size), stored.size()));
            before = stored;
        }
        return result;
    }

    private Set<Long> exported(int k) throws IOException {
        Set<Long> seqs = new HashSet<>();
        for (String row : Dist.csvRows(read(out(k, "export.csv")))) {
            seqs.add((long) Double.parseDouble(row.split(",")[3]));
        }
        return seqs;
    }

    private Path out(int k, String what) {
        return work.resolve("out/" + k + "." + what);
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private static boolean logHas(Path log, String text) throws IOException {
        return read(log).contains(text);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition c, long millis, String what) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** The figures, one line each, as the README and the benchmark print them. */
    static List<String> figures(List<Cut> cuts, long windowMs) {
        long asIs = cuts.stream().filter(Cut::openedAsIs).count();
        long silent = cuts.stream().filter(c -> c.lostBeyond(windowMs) && !c.rollbackSaid()).count();
        long said = cuts.stream().filter(Cut::rollbackSaid).count();
        long maxWindow = cuts.stream().filter(c -> !c.rollbackSaid()).mapToLong(Cut::lossWindowMs).max().orElse(0);
        long[] windows = cuts.stream().filter(c -> c.fedLines() > 0).mapToLong(Cut::lossWindowMs).sorted().toArray();
        long median = windows.length == 0 ? 0 : windows[windows.length / 2];
        List<String> lines = new ArrayList<>();
        lines.add("power cuts: " + cuts.size() + " cuts, " + windows.length + " during ingest, the rest during"
                + " start-up");
        lines.add("power cuts: file opened as it was: " + asIs + " of " + cuts.size());
        lines.add("power cuts: silent rollbacks (lost beyond " + windowMs + " ms, or lines missing that an earlier"
                + " cut kept, and not said): " + silent);
        lines.add("power cuts: rollbacks detected and said: " + said);
        lines.add("power cuts: loss window: median " + median + " ms, largest " + maxWindow + " ms");
        for (Cut c : cuts) {
            lines.add("power cuts: cut " + c.number() + ": fed " + c.fedLines() + " lines, lost the last "
                    + c.lossWindowMs() + " ms, holes " + c.holes() + ", missing from before " + c.missingEarlier()
                    + (c.openedAsIs() ? "" : ", file moved aside") + (c.rollbackSaid() ? ", rollback said" : "")
                    + "; file " + c.fileBytes() + " bytes for " + c.storedLines() + " lines"
                    + (c.storedLines() == 0 ? "" : String.format(" (%.1f bytes a line)",
                            c.fileBytes() / (double) c.storedLines())));
        }
        return lines;
    }
}
