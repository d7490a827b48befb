package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * kill -9 of the assembled daemon while it stores 100,000 samples a second from a simulated device that
 * numbers them: after a restart every sample up to the last commit is there, without a gap, and what was
 * lost is within the durability window.
 */
class CrashRecoveryIT {
    private static final String STREAM = "1209:0011:STREAM01";

    @TempDir
    Path tmp;

    private Process start(Path home, Path state, Path log) throws Exception {
        return new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    @Test
    void afterKillMinusNineEverythingCommittedIsThereAndTheLossIsWithinTheWindow() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), home.resolve("plugins/counter-driver.jar"));
        Files.writeString(home.resolve("conf/org.usblogd.sim.streams.cfg"), "count = 1\nrate = 100000\n");
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        StoreLocation db = new StoreLocation(state);
        Samples samples = new Samples(state);

        Process first = start(home, state, log);
        long killedAt;
        try {
            Dist.await("the stream stored", 30_000, () -> {
                try {
                    return !samples.times(STREAM, "seq").isEmpty();
                } catch (AssertionError e) {
                    return false;
                }
            });
            Thread.sleep(4_000);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no final write
            killedAt = System.currentTimeMillis();
        }
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        Process second = start(home, state, log);
        try {
            Dist.await("the store open again", 30_000, () -> {
                try {
                    return Files.exists(db.serverFile()) && samples.times(STREAM, "seq").size() > 0;
                } catch (AssertionError e) {
                    return false;
                }
            });
            int port = Integer.parseInt(Files.readString(db.serverFile()).strip());
            List<StoredSample> before = Samples.read(db, db.serverUrl(port), new SampleQuery(STREAM, "seq", null,
                    Instant.ofEpochMilli(killedAt)));
            assertThat(before.size()).as("samples stored before the kill").isGreaterThan(200_000);
            for (int i = 1; i < before.size(); i++) {
                if (before.get(i).value() != before.get(i - 1).value() + 1) {
                    throw new AssertionError("gap after sequence number " + before.get(i - 1).value() + ": next is "
                            + before.get(i).value());
                }
            }
            long lastMs = before.get(before.size() - 1).timeMicros() / 1_000;
            long lostMs = killedAt - lastMs;
            System.out.println("kill -9 at 100k samples/s: " + before.size() + " samples kept without a gap; the"
                    + " newest is " + lostMs + " ms older than the kill (durability window 1000 ms, commits every 200 ms)");
            assertThat(lostMs).as("loss within the durability window").isLessThan(1_000);
            assertThat(Files.readString(log)).doesNotContain("cannot open the database");
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            second.destroy();
        }
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDamagedDatabaseFileIsKeptAsideAndLoggingGoesOnInANewOne() throws Exception {
        Path state = tmp.resolve("state");
        StoreLocation db = new StoreLocation(state);
        Files.createDirectories(db.directory());
        byte[] garbage = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(db.databaseFile(), garbage);
        Path log = tmp.resolve("daemon.log");
        Process daemon = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Dist.await("CO2 samples in the new database", 30_000, () -> {
                try {
                    return !new Samples(state).doubles("04d9:a052@v1-1", "co2").isEmpty();
                } catch (AssertionError e) {
                    return false;
                }
            });
            try (var files = Files.list(db.directory())) {
                Path kept = files.filter(f -> f.getFileName().toString().startsWith("usblogd.mv.db.damaged-"))
                        .findFirst().orElseThrow(() -> new AssertionError("the damaged file was not kept"));
                assertThat(Files.readAllBytes(kept)).isEqualTo(garbage);
            }
            assertThat(Files.readString(log)).contains("could not be opened", "is kept as", "logging goes on in a new"
                    + " database");
            assertThat(new Samples(state).events("store.rescued")).singleElement().asString().contains("kept as");
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
