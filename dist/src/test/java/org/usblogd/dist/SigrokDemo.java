package org.usblogd.dist;

import java.io.BufferedReader;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * sigrok-cli's demo device captured to CSV, the yardstick of a tool made for acquisition: {@code sigrok-cli
 * --driver demo --config samplerate=R --channels C --samples N -O csv -o FILE}, timed as a whole command, its
 * rows counted in the file. The demo driver paces itself to the sample rate, so the rate asked is far above
 * what the CSV output can write and what is measured is that output.
 */
final class SigrokDemo {
    private SigrokDemo() {
    }

    /** Samples (CSV rows) written per second, and how many; or why there is no figure. */
    record Result(double samplesPerSecond, long samples, String skipped) {
    }

    /** The sigrok-cli on PATH, or null. */
    static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "sigrok-cli");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Result run(Path cli, Path dir, String sampleRate, String channels, long samples) throws Exception {
        Files.createDirectories(dir);
        Path csv = dir.resolve("sigrok-demo.csv");
        Path log = dir.resolve("sigrok-cli.log");
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--driver", "demo", "--config",
                "samplerate=" + sampleRate));
        if (!channels.isBlank()) {
            cmd.addAll(List.of("--channels", channels));
        }
        cmd.addAll(List.of("--samples", Long.toString(samples), "-O", "csv", "-o", csv.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new Result(Double.NaN, 0, String.join(" ", cmd) + " did not finish within 300 s");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0 || !Files.exists(csv)) {
            return new Result(Double.NaN, 0, String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + Files.readString(log).strip().replace('\n', ' '));
        }
        long rows = 0;
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                // comment lines start with ';', the header with a channel's name: rows start with a number
                if (!line.isEmpty() && (Character.isDigit(line.charAt(0)) || line.charAt(0) == '-'
                        || line.charAt(0) == '.')) {
                    rows++;
                }
            }
        }
        return new Result(rows / seconds, rows, null);
    }
}
