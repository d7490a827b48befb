package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * The commands that read the store start from a class data sharing archive that the first of them leaves in
 * the user's cache: the same bytes out either way, nothing said about it, and a new archive when the
 * installation changes.
 */
class CliStartupIT {
    private static final String DEVICE = "413d:2107@9-9";

    @TempDir
    Path tmp;

    @Test
    void theFirstExportLeavesAClassArchiveThatTheNextLoadsH2FromAndBothPrintTheSameBytes() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        hourOfSamples(state);
        Path cache = tmp.resolve("cache");

        Cli.Result first = export(home, state, cache, tmp.resolve("first.log"));
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.err()).as("nothing said about the archive").isEmpty();
        assertThat(first.out().lines().count()).isEqualTo(36_001);
        assertThat(archives(cache)).as("the archive the first export left").hasSize(1);

        Cli.Result second = export(home, state, cache, tmp.resolve("second.log"));
        assertThat(second.exit()).as("%s", second).isZero();
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).as("the same export from the archive").isEqualTo(first.out());
        assertThat(Files.readAllLines(tmp.resolve("second.log")))
                .as("the database's classes come from the archive the first export left")
                .anyMatch(l -> l.contains("org.h2.engine.Database") && l.contains("shared objects file (top)"));

        Path jar = home.resolve("lib/usblogd.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Cli.Result upgraded = export(home, state, cache, tmp.resolve("upgraded.log"));
        assertThat(upgraded.out()).isEqualTo(first.out());
        assertThat(upgraded.err()).isEmpty();
        List<Path> after = archives(cache);
        assertThat(after).as("one archive, made again for the changed installation").hasSize(1);
        assertThat(Files.readAllLines(tmp.resolve("upgraded.log")))
                .noneMatch(l -> l.contains("shared objects file (top)"));
    }

    @Test
    void withNoCacheDirectoryTheCommandsRunAsTheyAreAndWriteNothing() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        hourOfSamples(state);
        Cli.Result r = Cli.run(home, List.of(), Map.of("XDG_CACHE_HOME", "", "HOME", ""), "export", "--state",
                state.toString());
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().count()).isEqualTo(36_001);
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.toString().endsWith(".jsa")).toList()).isEmpty();
        }
    }

    private static Cli.Result export(Path home, Path state, Path cache, Path classLog) throws Exception {
        return Cli.run(home, List.of(), Map.of("XDG_CACHE_HOME", cache.toString(), "USBLOGD_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + classLog), "export", "--device", DEVICE, "--state", state.toString());
    }

    private static List<Path> archives(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache.resolve("usblogd"))) {
            return files.toList();
        }
    }

    /** An hour of a 10 Hz temperature, as the store writes it. */
    private static void hourOfSamples(Path state) throws Exception {
        StoreLocation db = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(db.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(db.password());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            TemperatureBlocks.write(c, DEVICE, null, 1_795_000_000_000_000L, 36_000, 3);
            s.execute("SHUTDOWN");
        }
    }
}
