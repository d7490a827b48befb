package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts on a real kernel (see {@link PowerCuts}): a few in CI; {@code bench/powercut} runs many
 * ({@code -Dusblogd.powercuts=50}) and prints the figures the README reports.
 */
class PowerCutIT {
    /** The durability window: a sync at most every flush interval after a commit at most every 200 ms. */
    static final long WINDOW_MS = 1_000 + 200;

    @TempDir
    Path work;

    @Test
    void aPowerCutNeverTakesWhatWasSyncedWithoutSayingSo() throws Exception {
        int n = Integer.getInteger("usblogd.powercuts", 3);
        // -Dusblogd.powercuts.work=DIR keeps the guests' logs, exports and disk for a look afterwards
        Path dir = System.getProperty("usblogd.powercuts.work") == null ? work
                : java.nio.file.Files.createDirectories(Path.of(System.getProperty("usblogd.powercuts.work")));
        long seed = Long.getLong("usblogd.powercuts.seed", System.nanoTime());
        System.out.println("power cuts: seed " + seed + " (-Dusblogd.powercuts.seed repeats the moments)");
        PowerCuts cuts = new PowerCuts(dir, seed);

        List<PowerCuts.Cut> result = cuts.run(n);

        PowerCuts.figures(result, WINDOW_MS).forEach(System.out::println);
        if (result.size() >= 10) {
            // bytes per line after ten cuts against a clean run that stored about as many lines
            PowerCuts.Cut tenth = result.get(9);
            long fedSeconds = result.subList(0, 10).stream().mapToLong(PowerCuts.Cut::fedLines).sum() / 50;
            long[] clean = cuts.cleanRun((int) Math.max(10, fedSeconds));
            double afterCuts = tenth.fileBytes() / (double) tenth.storedLines();
            double cleanRun = clean[0] / (double) clean[1];
            System.out.printf("power cuts: bytes a line after 10 cuts %.1f (%d lines), clean run %.1f (%d lines):"
                    + " %.2f times%n", afterCuts, tenth.storedLines(), cleanRun, clean[1], afterCuts / cleanRun);
        }
        assertThat(result).as("every cut").allSatisfy(c -> {
            assertThat(c.openedAsIs()).as("cut %d: the file opened as it was", c.number()).isTrue();
            assertThat(c.lostBeyond(WINDOW_MS) && !c.rollbackSaid())
                    .as("cut %d: lost beyond the durability window without saying so", c.number()).isFalse();
        });
    }
}
