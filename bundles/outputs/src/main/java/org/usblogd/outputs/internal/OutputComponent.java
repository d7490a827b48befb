package org.usblogd.outputs.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.output.OutputMonitor;
import org.usblogd.api.output.OutputStatus;
import org.usblogd.api.store.ForwardSource;
import org.usblogd.api.store.StoreListener;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * One output per {@code conf/org.usblogd.output-NAME.cfg}, added, changed and removed while the daemon runs. A
 * mistake in the file is one log line: a new file forwards nothing until it is corrected, an edit leaves the
 * output on the file's last good content. Hears of the store's commits (a whiteboard {@link StoreListener}) to
 * forward them at once; the data itself is read back from the store, never taken from the commit.
 */
@Component(configurationPid = OutputConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { StoreListener.class, OutputMonitor.class })
@Designate(ocd = OutputConfig.class, factory = true)
public class OutputComponent implements StoreListener, OutputMonitor {
    private static final Logger log = LoggerFactory.getLogger(OutputComponent.class);
    /** How often an output looks for work without being told of a commit. */
    private static final long POLL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FIRST_BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Seconds: what a peer that does not answer may cost before the attempt counts as failed. */
    private static final int CONNECT_TIMEOUT_S = 10;
    private static final int NETWORK_TIMEOUT_MS = 60_000;

    private final ForwardSource source;
    private final DataSourceFactory postgres;
    /** The file's last good content and the thread running on it; null while the file has never been right. */
    private OutputSettings settings;
    private volatile Forwarder forwarder;
    /** The last mistake of a file that was never right, for the status. */
    private volatile String problem;
    private final String name;

    @Activate
    public OutputComponent(@Reference ForwardSource source,
            @Reference(target = "(osgi.jdbc.driver.class=org.postgresql.Driver)") DataSourceFactory postgres,
            Map<String, Object> properties) {
        this.source = source;
        this.postgres = postgres;
        this.name = OutputSettings.name(properties);
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private synchronized void apply(Map<String, Object> properties) {
        OutputSettings next;
        try {
            next = OutputSettings.parse(properties, p -> log.warn("{}", p), p -> log.error("{}", p));
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            log.error("{}; {}", e.getMessage(), settings == null ? "the output forwards nothing until it is corrected"
                    : "the output goes on with the file's last good content");
            return;
        }
        problem = null;
        if (next.equals(settings)) {
            return;
        }
        boolean changed = settings != null;
        stopForwarder();
        settings = next;
        Forwarder f = next.isMqtt()
                ? new Forwarder(next, source, new MqttPeer(next), new MqttFailures(next), POLL_NANOS,
                        FIRST_BACK_OFF_NANOS, MAX_BACK_OFF_NANOS)
                : new Forwarder(next, source, new PostgresPeer(() -> connect(next), next.node()),
                        new PostgresFailures(next), POLL_NANOS, FIRST_BACK_OFF_NANOS, MAX_BACK_OFF_NANOS);
        forwarder = f;
        f.start();
        if (changed) {
            log.info("output {}: {} changed; the output starts again with it, from its cursor", next.name(),
                    next.file());
        }
    }

    private Connection connect(OutputSettings s) throws SQLException {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, s.url());
        // a batch of inserts as multi-row statements: several times the rows per second of one statement each,
        // which is what catching up after a long outage is bound by
        p.setProperty("reWriteBatchedInserts", "true");
        if (!s.user().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_USER, s.user());
        }
        if (!s.password().isEmpty()) {
            p.setProperty(DataSourceFactory.JDBC_PASSWORD, s.password());
        }
        DataSource ds = postgres.createDataSource(p);
        ds.setLoginTimeout(CONNECT_TIMEOUT_S);
        Connection c = ds.getConnection();
        try {
            c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Deactivate
    synchronized void deactivate(int reason) {
        stopForwarder();
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            // its cursors go too: retention keeps what an output has not forwarded, and must not wait for one
            // that is gone (put back, the file starts from the beginning; the server's keys drop what it has)
            try {
                source.forget(name);
                log.info("output {}: its file is gone; it forwards no more, and retention no longer keeps samples"
                        + " for it", name);
            } catch (org.usblogd.api.store.StoreException e) {
                log.error("output {}: its file is gone, but its cursors could not be removed from the local store"
                        + " ({}); retention keeps what it had not forwarded until the file is back and forwards it",
                        name, e.getMessage());
            }
        }
    }

    private void stopForwarder() {
        Forwarder f = forwarder;
        forwarder = null;
        if (f != null) {
            try {
                f.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void committed(List<StoredSample> samples, List<StoredEvent> events) {
        Forwarder f = forwarder;
        if (f != null) {
            f.wake();
        }
    }

    @Override
    public OutputStatus status() {
        Forwarder f = forwarder;
        if (f != null) {
            return f.status();
        }
        return new OutputStatus(name, "", "", false, -1, Long.MIN_VALUE, -1, 0, 0, problem, Long.MIN_VALUE);
    }
}
