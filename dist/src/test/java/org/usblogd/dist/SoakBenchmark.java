package org.usblogd.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/soak: the assembled daemon ({@code run --demo}, or plain {@code run}) for N minutes, with a driver
 * swapped (a new version of a plugin jar written over the old one) and a family's devices plugged and pulled
 * (a twin bundle dropped into plugins/ and removed) in turns, as FileInstall sees an operator do it. Every 10 s
 * it reads the daemon's resident memory, threads and open files from /proc, and every minute, after a full GC
 * asked with jcmd, the heap in use and the classes and class loaders alive. It prints each series' slope per
 * hour after the warm-up (the first 10 minutes, or the first third of a shorter run), and the peak resident
 * memory, and what resident memory and the live heap grew in (the mappings of /proc/PID/smaps, named the Java
 * heap, code cache or metaspace where they are, and class histograms, at the end of the warm-up and at the end).
 * With {@code -XX:NativeMemoryTracking=summary} among the JVM options it also prints what native memory grew in,
 * over the same span. Prints figures, asserts nothing; not run by the
 * suite (a main class, run by bench/soak).
 */
public final class SoakBenchmark {
    private static final long SAMPLE_MS = 10_000;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private record Point(double minutes, double value) {
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = Integer.getInteger("usblogd.soak.minutes", 10);
        boolean demo = Boolean.parseBoolean(System.getProperty("usblogd.soak.demo", "true"));
        String javaOpts = System.getProperty("usblogd.soak.javaOpts", "").strip();
        String memoryOpts = System.getProperty("usblogd.soak.memoryOpts", "launcher").strip();
        int swapSeconds = Integer.getInteger("usblogd.soak.swapSeconds", 30);
        boolean baseline = Boolean.parseBoolean(System.getProperty("usblogd.soak.baseline", "true"));
        // the slopes are taken after it: what fills up to a bound (caches, open blocks, compiled code) has mostly
        // filled by then, and a longer run with a longer warm-up tells a slow fill from a leak
        String given = System.getProperty("usblogd.soak.warmUpMinutes", "").strip();
        double warmUp = given.isEmpty() ? Math.min(10, minutes / 3.0) : Double.parseDouble(given);
        java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var measured = both.submit(() -> soak(minutes, demo, memoryOpts, javaOpts, swapSeconds, warmUp));
            // the baseline beside it, in the same minutes on the same machine: the JVM sizing itself
            var base = baseline ? both.submit(() -> soak(minutes, demo, "jvm", javaOpts, swapSeconds, warmUp)) : null;
            long peak = measured.get();
            if (base != null) {
                long basePeak = base.get();
                System.out.printf(Locale.ROOT, "soak: peak resident memory %.0f MB against %.0f MB with the JVM's own"
                        + " sizing beside it: %.2f of the baseline%n", peak / 1024.0, basePeak / 1024.0,
                        (double) peak / basePeak);
            }
        } finally {
            both.shutdownNow();
        }
    }

    /** @return the peak resident memory, kB */
    private static long soak(int minutes, boolean demo, String memoryOpts, String javaOpts, int swapSeconds,
            double warmUp)
            throws Exception {
        Path dir = Files.createTempDirectory("usblogd-soak");
        try {
            return run(dir, minutes, demo, memoryOpts, javaOpts, swapSeconds, warmUp);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * @param memoryOpts what replaces the launcher's memory options (USBLOGD_MEMORY_OPTS): {@code launcher} keeps
     *            them, {@code jvm} leaves the JVM to size itself, anything else is used instead
     * @param javaOpts added to them (USBLOGD_JAVA_OPTS)
     */
    private static long run(Path dir, int minutes, boolean demo, String memoryOpts, String javaOpts, int swapSeconds,
            double warmUp)
            throws Exception {
        Path home = dir.resolve("usblogd");
        PluginJars.copyOfPackage(home); // what ships, without the tests' counters
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        Path driver = home.resolve("plugins/wensn-0.1.0-SNAPSHOT.jar");
        Path twinSource = home.resolve("demo/bundles/temper-twin-0.1.0-SNAPSHOT.jar");
        Path twinCopy = home.resolve("plugins/temper-twin-soak.jar");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/usblogd").toString(), "run"));
        if (demo) {
            cmd.add("--demo");
        }
        cmd.addAll(List.of("--state", dir.resolve("state").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
        pb.environment().remove("LD_PRELOAD");
        if (!javaOpts.isEmpty()) {
            pb.environment().put("USBLOGD_JAVA_OPTS", javaOpts);
        }
        if (!memoryOpts.equals("launcher")) {
            pb.environment().put("USBLOGD_MEMORY_OPTS", memoryOpts.equals("jvm") ? "" : memoryOpts);
        }
        Process daemon = pb.start();
        long pid = daemon.pid(); // the launcher execs java: this is the JVM
        boolean nmt = javaOpts.contains("NativeMemoryTracking");
        String label = memoryOpts.equals("launcher") ? "launcher" : memoryOpts.equals("jvm") ? "jvm" : "given";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "soak [%s]: %d min of `run%s` with %s%s, %s%n", label, minutes,
                demo ? " --demo" : "", memoryOpts.equals("launcher") ? "the launcher's memory options"
                        : memoryOpts.equals("jvm") ? "the JVM's own sizing" : "USBLOGD_MEMORY_OPTS=" + memoryOpts,
                javaOpts.isEmpty() ? "" : " and " + javaOpts, swapSeconds > 0
                        ? "a driver swapped and a family replugged in turns every " + swapSeconds + " s"
                        : "no driver swapped nor family replugged"));

        List<Point> rss = new ArrayList<>();
        List<Point> rssAnon = new ArrayList<>();
        List<Point> rssFile = new ArrayList<>();
        List<Point> threads = new ArrayList<>();
        List<Point> fds = new ArrayList<>();
        List<Point> heap = new ArrayList<>();
        List<Point> classes = new ArrayList<>();
        List<Point> loaders = new ArrayList<>();
        List<Point> cache = new ArrayList<>();
        List<Point> heapBesideCache = new ArrayList<>();
        javax.sql.DataSource db = null;
        boolean baselined = false;
        Map<String, long[]> histogramAtWarmUp = Map.of();
        Map<String, Long> mappingsAtWarmUp = Map.of();
        String codeCacheAtWarmUp = "";
        long peakKb = 0;
        long start = System.nanoTime();
        long nextSample = 0;
        long nextChange = swapSeconds * 1_000L;
        long nextGc = 60_000;
        int change = 0;
        try {
            while (true) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms >= minutes * 60_000L) {
                    break;
                }
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("the daemon ended with " + daemon.exitValue() + ":\n"
                            + tail(dir.resolve("log")));
                }
                double m = ms / 60_000.0;
                if (ms >= nextSample) {
                    nextSample += SAMPLE_MS;
                    long kb = status(pid, "VmRSS");
                    rss.add(new Point(m, kb / 1024.0));
                    rssAnon.add(new Point(m, status(pid, "RssAnon") / 1024.0));
                    rssFile.add(new Point(m, status(pid, "RssFile") / 1024.0));
                    peakKb = Math.max(peakKb, status(pid, "VmHWM"));
                    threads.add(new Point(m, status(pid, "Threads")));
                    try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                        fds.add(new Point(m, s.count()));
                    }
                }
                if (ms >= nextGc) {
                    nextGc += 60_000;
                    jcmd(pid, "GC.run");
                    double heapMb = heapUsedKb(jcmd(pid, "GC.heap_info")) / 1024.0;
                    heap.add(new Point(m, heapMb));
                    if (db == null) {
                        db = ServerDatabase.of(dir.resolve("state"), 60);
                    }
                    // H2's page cache fills up to its bound (the store's CACHE_SIZE, 4 MB) as the file grows and
                    // is read: heap that stops growing there, unlike a leak; shown apart so that the rest's slope
                    // can be read
                    double cacheMb = pageCacheMb(db);
                    if (cacheMb >= 0) {
                        cache.add(new Point(m, cacheMb));
                        heapBesideCache.add(new Point(m, heapMb - cacheMb));
                    }
                    String stats = jcmd(pid, "VM.classloader_stats");
                    loaders.add(new Point(m, loaderCount(stats)));
                    classes.add(new Point(m, classCount(stats)));
                    if (!baselined && m >= warmUp) {
                        if (nmt) {
                            jcmd(pid, "VM.native_memory", "baseline");
                        }
                        histogramAtWarmUp = histogram(jcmd(pid, "GC.class_histogram"));
                        mappingsAtWarmUp = residentByMapping(Files.readString(Path.of("/proc/" + pid + "/smaps")));
                        codeCacheAtWarmUp = codeCache(jcmd(pid, "Compiler.codecache"));
                        baselined = true;
                    }
                }
                if (ms >= nextChange && swapSeconds > 0) {
                    nextChange += swapSeconds * 1_000L;
                    if (change++ % 2 == 0) {
                        // a new version of a driver over the old file: FileInstall updates the bundle in place
                        Files.write(driver, PluginJars.withVersion(driver, "0.1." + change, null, null));
                    } else if (demo && Files.exists(twinCopy)) {
                        Files.delete(twinCopy); // the family's second set of devices pulled out
                    } else if (demo) {
                        Files.write(twinCopy, PluginJars.withVersion(twinSource, "0.2." + change, null, null));
                    }
                }
                Thread.sleep(200);
            }
            String nmtDiff = nmt && baselined ? jcmd(pid, "VM.native_memory", "summary.diff") : "";
            Map<String, long[]> histogramAtEnd = baselined ? histogram(jcmd(pid, "GC.class_histogram")) : Map.of();
            Map<String, Long> mappingsAtEnd = residentByMapping(Files.readString(Path.of("/proc/" + pid + "/smaps")));
            // the JVM's own regions by address, so that the mappings that grew say what they hold
            String codeCacheNow = jcmd(pid, "Compiler.codecache");
            Map<String, String> regions = Map.of("the Java heap", jcmd(pid, "GC.heap_info"), "the code cache",
                    codeCacheNow, "metaspace", jcmd(pid, "VM.metaspace"));
            out.append(String.format(Locale.ROOT, "soak [%s]: resident memory %.0f MB at the end, peak %.0f MB;"
                    + " %d driver swaps and replugs%n", label, rss.get(rss.size() - 1).value(), peakKb / 1024.0,
                    change));
            // utime and stime, in clock ticks (100 a second on Linux), fields 14 and 15 after the command's name
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
            double cpuSeconds = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
            out.append(String.format(Locale.ROOT, "soak [%s]: CPU time %.0f s, %.1f %% of one core over the run%n",
                    label, cpuSeconds, 100 * cpuSeconds / ((System.nanoTime() - start) / 1e9)));
            Path dbFile = dir.resolve("state/db/usblogd.mv.db");
            out.append(String.format(Locale.ROOT, "soak [%s]: the daemon read %.0f MB and wrote %.0f MB of files"
                    + " (/proc/PID/io, from the disk or its cache) while the database file grew to %.1f MB%n", label,
                    io(pid, "rchar") / 1e6, io(pid, "wchar") / 1e6, Files.exists(dbFile) ? Files.size(dbFile) / 1e6 : 0.0));
            print(out, label, "resident memory (MB)", rss, warmUp);
            print(out, label, "of it anonymous (MB: heap, stacks, the C library's and the JVM's own memory)", rssAnon,
                    warmUp);
            print(out, label, "of it mapped files (MB: libraries, the class archive, the JDK's modules)", rssFile,
                    warmUp);
            print(out, label, "heap in use after a full GC (MB)", heap, warmUp);
            print(out, label, "of which the database's page cache (MB, bounded at 4)", cache, warmUp);
            print(out, label, "heap in use after a full GC besides the page cache (MB)", heapBesideCache, warmUp);
            print(out, label, "threads", threads, warmUp);
            print(out, label, "open file descriptors", fds, warmUp);
            print(out, label, "classes loaded", classes, warmUp);
            print(out, label, "class loaders", loaders, warmUp);
            if (baselined) {
                // resident code cache follows its high-water mark: freed code leaves its pages touched
                out.append("soak [" + label + "]: code cache (jcmd Compiler.codecache) at the end of the warm-up: "
                        + codeCacheAtWarmUp + "; at the end: " + codeCache(codeCacheNow) + "\n");
            }
            if (!nmtDiff.isEmpty()) {
                out.append("soak [" + label + "]: native memory since the warm-up (jcmd VM.native_memory"
                        + " summary.diff):\n");
                nmtDiff.lines().filter(l -> l.contains("(") && l.contains("committed=") && l.contains("+"))
                        .forEach(l -> out.append("soak [" + label + "]:   " + l.strip() + "\n"));
            }
            if (baselined) {
                out.append("soak [" + label + "]: which mappings' resident memory grew since the warm-up"
                        + " (/proc/PID/smaps; the 10 largest growths):\n");
                grewMostMappings(mappingsAtWarmUp, mappingsAtEnd, regions, 10).forEach(l -> out.append("soak ["
                        + label + "]:   " + l + "\n"));
                out.append("soak [" + label + "]: what the live heap grew in since the warm-up (jcmd"
                        + " GC.class_histogram, after a full GC; the 12 largest growths):\n");
                grewMost(histogramAtWarmUp, histogramAtEnd, 12).forEach(l -> out.append("soak [" + label + "]:   "
                        + l + "\n"));
            }
            // a memory option that costs warnings (a code cache too small to compile in, say) shows here
            List<String> notInfo = Files.readAllLines(dir.resolve("log")).stream()
                    .filter(l -> !l.contains(" INFO ") && !l.isBlank()).toList();
            out.append(String.format(Locale.ROOT, "soak [%s]: the daemon's log: %d lines besides INFO%s%n", label,
                    notInfo.size(), notInfo.isEmpty() ? "" : ", the first:"));
            notInfo.stream().limit(5).forEach(l -> out.append("soak [" + label + "]:   " + l + "\n"));
            System.out.print(out);
            return peakKb;
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private static void print(StringBuilder out, String label, String what, List<Point> series, double warmUp) {
        List<Point> after = series.stream().filter(p -> p.minutes() >= warmUp).toList();
        if (after.size() < 2) {
            out.append(String.format(Locale.ROOT, "soak [%s]: %s: %s (too short a run for a slope)%n", label, what,
                    series.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", series.get(series.size() - 1).value())));
            return;
        }
        out.append(String.format(Locale.ROOT, "soak [%s]: %s: %.1f -> %.1f after the warm-up of %.0f min, slope %+.2f"
                + " per hour%n", label, what, after.get(0).value(), after.get(after.size() - 1).value(), warmUp,
                60 * slope(after)));
    }

    /** The store's H2 page cache in MB (H2 counts it in whole MB), or -1 when the database did not say. */
    private static double pageCacheMb(javax.sql.DataSource db) {
        try (var c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT SETTING_VALUE"
                + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_SIZE'")) {
            return rs.next() ? Double.parseDouble(rs.getString(1)) : -1;
        } catch (java.sql.SQLException | NumberFormatException e) {
            return -1;
        }
    }

    /** Compiler.codecache's first figures: in use, its high-water mark, and the compiled methods. */
    static String codeCache(String text) {
        Matcher used = Pattern.compile("used=(\\d+)Kb max_used=(\\d+)Kb").matcher(text);
        Matcher methods = Pattern.compile("nmethods=(\\d+)").matcher(text);
        return used.find() && methods.find() ? String.format(Locale.ROOT, "%,d kB in use, %,d kB at most, %s compiled"
                + " methods", Long.parseLong(used.group(1)), Long.parseLong(used.group(2)), methods.group(1)) : "?";
    }

    /** Least squares, per minute. */
    static double slope(List<Point> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            sx += p.minutes();
            sy += p.value();
            sxx += p.minutes() * p.minutes();
            sxy += p.minutes() * p.value();
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    /** A counter of /proc/PID/io (rchar, wchar: bytes through read and write calls, files and sockets). */
    private static long io(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).strip());
            }
        }
        return -1;
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).strip().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    /** The heap's generations or regions in use, in kB: every "used" but metaspace's. */
    static long heapUsedKb(String heapInfo) {
        long kb = 0;
        for (String line : heapInfo.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Metaspace") || l.startsWith("class space") || l.startsWith("from space")
                    || l.startsWith("to   space") || l.startsWith("eden space") || l.startsWith("the space")
                    || l.startsWith("object space") || l.startsWith("region size")) {
                continue; // metaspace, or parts of a generation already counted in its total
            }
            Matcher m = USED.matcher(l);
            if (l.contains("total") && m.find()) {
                kb += Long.parseLong(m.group(1));
            }
        }
        return kb;
    }

    /** VM.classloader_stats ends with "Total = N" loaders; its rows' classes column adds up the classes. */
    static long loaderCount(String stats) {
        Matcher m = Pattern.compile("Total = (\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static long classCount(String stats) {
        Matcher m = Pattern.compile("Total = \\d+\\s+(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** GC.class_histogram's rows ("num: instances bytes class") as class name to {instances, bytes}. */
    static Map<String, long[]> histogram(String text) {
        Map<String, long[]> rows = new HashMap<>();
        Matcher m = HISTOGRAM_ROW.matcher(text);
        while (m.find()) {
            rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return rows;
    }

    /** The classes whose bytes grew most from one histogram to the next, as printable lines. */
    static List<String> grewMost(Map<String, long[]> before, Map<String, long[]> after, int count) {
        return after.entrySet().stream().map(e -> {
            long[] was = before.getOrDefault(e.getKey(), new long[2]);
            return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
        }).filter(e -> e.getValue()[1] > 0).sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(count).map(e -> String.format(Locale.ROOT, "%+,10d bytes %+,8d instances  %s",
                        e.getValue()[1], e.getValue()[0], e.getKey())).toList();
    }

    /**
     * Resident kB per mapping of /proc/PID/smaps, keyed "start-end perms name" (name empty for anonymous memory):
     * a mapping keeps its start while it grows, and the JVM's heap, code cache and metaspace are each a mapping.
     */
    static Map<String, Long> residentByMapping(String smaps) {
        Map<String, Long> rows = new HashMap<>();
        String key = null;
        for (String line : smaps.lines().toList()) {
            String[] f = line.split("\\s+", 6);
            if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                key = f[0] + " " + f[1] + " " + (f.length == 6 ? f[5].strip() : "");
            } else if (key != null && line.startsWith("Rss:")) {
                rows.merge(key, Long.parseLong(f[1]), Long::sum);
            }
        }
        return rows;
    }

    /** The mappings (by start address) whose resident memory grew most, named by the JVM region they hold. */
    static List<String> grewMostMappings(Map<String, Long> before, Map<String, Long> after,
            Map<String, String> regions, int count) {
        Map<String, Long> grew = new HashMap<>();
        Map<String, String> keyOf = new HashMap<>();
        for (Map<String, Long> side : List.of(before, after)) {
            for (String k : side.keySet()) {
                keyOf.put(k.substring(0, k.indexOf('-')), k);
            }
        }
        Map<String, Long> beforeByStart = new HashMap<>();
        before.forEach((k, v) -> beforeByStart.merge(k.substring(0, k.indexOf('-')), v, Long::sum));
        Map<String, Long> afterByStart = new HashMap<>();
        after.forEach((k, v) -> afterByStart.merge(k.substring(0, k.indexOf('-')), v, Long::sum));
        for (String start : keyOf.keySet()) {
            grew.put(start, afterByStart.getOrDefault(start, 0L) - beforeByStart.getOrDefault(start, 0L));
        }
        Map<Long, String> addresses = new HashMap<>();
        regions.forEach((name, text) -> {
            Matcher hex = Pattern.compile("0x([0-9a-f]{8,16})").matcher(text);
            while (hex.find()) {
                addresses.put(Long.parseUnsignedLong(hex.group(1), 16), name);
            }
        });
        long total = grew.values().stream().mapToLong(Long::longValue).sum();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%+,8d kB in all mappings", total));
        grew.entrySet().stream().filter(e -> e.getValue() != 0)
                .sorted((a, b) -> Long.compare(Math.abs(b.getValue()), Math.abs(a.getValue()))).limit(count)
                .forEach(e -> {
                    String k = keyOf.get(e.getKey());
                    String[] range = k.substring(0, k.indexOf(' ')).split("-");
                    long lo = Long.parseUnsignedLong(range[0], 16);
                    long hi = Long.parseUnsignedLong(range[1], 16);
                    String region = addresses.entrySet().stream().filter(a -> a.getKey() >= lo && a.getKey() < hi)
                            .map(Map.Entry::getValue).distinct().sorted().reduce((a, b) -> a + ", " + b).orElse("");
                    lines.add(String.format(Locale.ROOT, "%+,8d kB  %s (%,d kB mapped%s)", e.getValue(), k,
                            (hi - lo) / 1024, region.isEmpty() ? "" : "; " + region));
                });
        return lines;
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
