package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.usblogd.framework.Daemon;
import org.usblogd.store.jdbc.StoreLocation;

/** The real bundles of the installation, started in Felix in this JVM, log the CO2 twin into H2. */
class DaemonInFelixIT {
    private static final String HTTP_BUNDLE = "org.usblogd.http";

    @TempDir
    Path state;

    @Test
    void theRealBundlesLogCo2SamplesFromTheTwinIntoH2() throws Exception {
        Daemon daemon = new Daemon(Dist.home(), state, true);
        Framework fw = daemon.start();
        StoreLocation db = new StoreLocation(state);
        try {
            for (Bundle b : fw.getBundleContext().getBundles()) {
                assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE);
            }
            assertThat(fw.getBundleContext().getBundles()).extracting(Bundle::getSymbolicName)
                    .contains("org.usblogd.usb", "org.usblogd.store", "org.usblogd.sim", "org.usblogd.co2mon",
                            "org.apache.felix.scr", "org.apache.felix.fileinstall", "org.apache.felix.configadmin");
            Dist.await("the store's server", 10_000, () -> Files.exists(db.serverFile()));
            int port = Integer.parseInt(Files.readString(db.serverFile()).strip());
            Dist.await("CO2 samples in H2", 10_000, () -> co2(db, db.serverUrl(port)).size() >= 2);
        } finally {
            daemon.stop();
        }
        String file = "jdbc:h2:file:" + db.databasePath();
        assertThat(count(file, db, "SELECT COUNT(*) FROM device WHERE vid = 1241 AND pid = 41042 AND driver = 'co2mon'"))
                .isEqualTo(1);
        assertThat(co2(db, file)).as("no spurious CO2 values stored").isNotEmpty()
                .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(10_000));
        assertThat(count(file, db, "SELECT COUNT(*) FROM event WHERE kind = 'daemon.stopped'")).isEqualTo(1);
        assertThat(count(file, db, "SELECT COUNT(*) FROM device WHERE attached")).as("attached after stop").isZero();
    }

    /**
     * Felix's Jetty stops with its own bundle when the framework stops. Removing its configuration on the way
     * as well (as a plain stop of the HTTP bundle must) started a second stop of Jetty on Configuration Admin's
     * thread, and the two raced: Felix then reported "Error stopping bundle" for Jetty at about one stop in ten.
     * The HTTP bundle stopped alone still stops Jetty, which would otherwise serve without its access filter.
     */
    @Test
    void aStopOfTheWholeDaemonLeavesJettyToItsOwnBundleAndItsConfigurationInPlace() throws Exception {
        Daemon daemon = daemonWithHttp("port = 0\n");
        Framework fw = daemon.start();
        java.util.concurrent.atomic.AtomicBoolean removedWhileStopping = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watch = null;
        try {
            BundleContext context = fw.getBundleContext();
            Path jettyConfiguration = jettyConfiguration(context);
            Dist.await("Jetty configured and serving", 20_000, () -> Files.exists(jettyConfiguration) && serving(context));
            Bundle http = httpBundle(context);
            http.stop();
            assertThat(jettyConfiguration).as("the HTTP bundle stopped alone: Jetty stopped with it").doesNotExist();
            http.start();
            Dist.await("Jetty configured and serving again", 20_000,
                    () -> Files.exists(jettyConfiguration) && serving(context));

            // Configuration Admin's copies go when the daemon has stopped: a copy gone while the framework is
            // still stopping (its state read before and after) was removed by the stop itself
            watch = new Thread(() -> {
                while (fw.getState() != Bundle.RESOLVED) {
                    int before = fw.getState();
                    boolean gone = !Files.exists(jettyConfiguration);
                    if (gone && before != Bundle.RESOLVED && fw.getState() != Bundle.RESOLVED) {
                        removedWhileStopping.set(true);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            }, "jetty-configuration-watch");
            watch.start();
        } finally {
            daemon.stop();
        }
        watch.join(5_000);
        assertThat(removedWhileStopping).as("Jetty's configuration removed while the framework stopped").isFalse();
    }

    /**
     * The access filter (the token, and the refusal of foreign host names) guards every servlet of the HTTP
     * bundle. Declarative Services removes the bundle's components in the order of their descriptions while
     * Jetty still serves (its stop is asynchronous when the HTTP bundle stops alone; in a daemon's stop
     * Declarative Services and Jetty stop before the HTTP bundle): a servlet still registered once the filter
     * had gone answered without it.
     */
    @Test
    void whenTheDaemonStopsItsServletsGoBeforeTheFilterThatGuardsThem() throws Exception {
        Daemon daemon = daemonWithHttp("port = 0\ntoken = 6f1c0e2b9a7d4c35\n");
        Framework fw = daemon.start();
        java.util.List<String> gone = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try {
            BundleContext context = fw.getBundleContext();
            Dist.await("Jetty serving", 20_000, () -> serving(context));
            Bundle http = httpBundle(context);
            // all services: the launcher does not see the servlet package
            context.addServiceListener((org.osgi.framework.AllServiceListener) e -> {
                if (e.getType() == org.osgi.framework.ServiceEvent.UNREGISTERING
                        && HTTP_BUNDLE.equals(e.getServiceReference().getBundle().getSymbolicName())) {
                    gone.add(((String[]) e.getServiceReference().getProperty("objectClass"))[0]);
                }
            }, "(|(objectClass=jakarta.servlet.Servlet)(objectClass=jakarta.servlet.Filter))");
            // the HTTP bundle stopped alone (an update): it stops Jetty, which stops on another thread
            http.stop();
            assertGuardedToTheEnd(gone, "the HTTP bundle stopped alone");
            gone.clear();
            http.start();
            Path jettyConfiguration = jettyConfiguration(context);
            Dist.await("Jetty configured and serving again", 20_000,
                    () -> Files.exists(jettyConfiguration) && serving(context));
        } finally {
            daemon.stop();
        }
        // the daemon's stop may return before the last bundles have stopped
        fw.waitForStop(30_000);
        assertThat(fw.getState()).as("the framework stopped").isEqualTo(Bundle.RESOLVED);
        assertGuardedToTheEnd(gone, "the daemon stopped");
    }

    /** A daemon (not the demo) in a copy of the installation, with this HTTP configuration; not started. */
    private Daemon daemonWithHttp(String httpConfig) throws java.io.IOException {
        Path home = PluginJars.copyOfInstallation(state.resolve("usblogd"));
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), httpConfig);
        return new Daemon(home, state.resolve("state"), false);
    }

    private static Bundle httpBundle(BundleContext context) {
        return java.util.Arrays.stream(context.getBundles())
                .filter(b -> HTTP_BUNDLE.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    /** Where Configuration Admin keeps Jetty's configuration, which the HTTP bundle gives it. */
    private static Path jettyConfiguration(BundleContext context) {
        return Path.of(context.getProperty("felix.cm.dir"), "org/apache/felix/http.config");
    }

    private static void assertGuardedToTheEnd(java.util.List<String> gone, String when) {
        assertThat(gone).as("%s: the HTTP bundle's servlets and filter, in the order they went", when).containsExactly(
                "jakarta.servlet.Servlet", "jakarta.servlet.Servlet", "jakarta.servlet.Servlet", "jakarta.servlet.Filter");
    }

    /** Jetty's runtime registered: it has bound its port (all references: the launcher does not see its package). */
    private static boolean serving(BundleContext context) {
        try {
            return context.getAllServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime", null) != null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static java.util.List<Double> co2(StoreLocation db, String url) {
        return Samples.read(db, url, new org.usblogd.api.store.SampleQuery(null, "co2", null, null)).stream()
                .map(org.usblogd.api.store.StoredSample::value).toList();
    }

    private static long count(String url, StoreLocation db, String sql) {
        try (Connection c = DriverManager.getConnection(url, StoreLocation.USER, db.password());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException | java.io.IOException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
