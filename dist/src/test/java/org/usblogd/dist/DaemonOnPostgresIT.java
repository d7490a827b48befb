package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.testing.postgres.PostgresServer;

/**
 * The assembled daemon storing into PostgreSQL because its store configuration names a JDBC URL: the
 * driver bundle's DataSourceFactory, the same schema and writer, samples readable with the same queries.
 */
class DaemonOnPostgresIT {
    @TempDir
    Path tmp;

    @Test
    void theDemoLogsIntoAPostgresServerWhenTheUrlSaysSo() throws Exception {
        var bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** SKIPPED: no PostgreSQL server installed (apt-get install postgresql); CI installs"
                    + " it ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent(), "needs PostgreSQL");
        try (PostgresServer server = PostgresServer.start(bin.get())) {
            Path home = tmp.resolve("usblogd");
            PluginJars.copyOfInstallation(home);
            Files.writeString(home.resolve("conf/org.usblogd.store.cfg"), "url = " + server.url() + "\nuser = "
                    + PostgresServer.USER + "\ndataSourceFactory.target = (osgi.jdbc.driver.class=org.postgresql.Driver)\n");
            Path log = tmp.resolve("daemon.log");
            Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                    tmp.resolve("state").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(server.url());
            ds.setUser(PostgresServer.USER);
            SqlSampleStore store = new SqlSampleStore(ds);
            try {
                Dist.await("CO2 samples in PostgreSQL", 40_000, () -> {
                    List<StoredSample> co2 = new ArrayList<>();
                    try {
                        store.samples(new SampleQuery("04d9:a052@v1-1", "co2", null, null), co2::add);
                    } catch (Exception e) {
                        return false; // tables not there yet
                    }
                    return co2.size() >= 2;
                });
                assertThat(store.devices()).extracting(d -> d.device()).contains("04d9:a052@v1-1", "2e3c:5558@v1-2");
                assertThat(Files.readString(log)).contains("store open: " + server.url());
            } catch (AssertionError e) {
                System.out.println(Files.readString(log));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            List<StoredSample> power = new ArrayList<>();
            store.samples(new SampleQuery("2e3c:5558@v1-2", "voltage", null, null), power::add);
            System.out.println("daemon on PostgreSQL: " + power.size() + " power-meter voltages stored");
            assertThat(power).isNotEmpty().allSatisfy(s -> assertThat(s.value()).isBetween(4.98, 5.02));
        }
    }
}
