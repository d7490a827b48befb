package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.usblogd.api.store.Backlog;
import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.ForwardLog;

/**
 * What each output has not forwarded yet, read from the cursors the daemon keeps in its database: for
 * {@code usblogd status}, which serves from disk alone (whether an output is connected only the running daemon
 * knows: {@code GET /api/v1/outputs}).
 */
final class OutputBacklogs {
    private static final String PREFIX = "org.usblogd.output-";

    private OutputBacklogs() {
    }

    /**
     * One output's backlog.
     *
     * @param removed whether its file is gone from {@code conf/} (its cursors stay in the database, so that the
     *            file put back resumes where it stopped)
     */
    record Entry(Backlog backlog, boolean removed) {
    }

    /**
     * Every output configured in {@code conf} or with a cursor in the database, by name; empty when the database
     * has no cursor tables yet (written by a usblogd without outputs).
     */
    static TreeMap<String, Entry> read(DataSource ds, Path conf) {
        List<String> files = configured(conf);
        boolean known = conf != null && Files.isDirectory(conf);
        TreeSet<String> names = new TreeSet<>(files);
        TreeMap<String, Entry> backlogs = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT output FROM output_cursor UNION SELECT output FROM"
                        + " output_event_cursor")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return backlogs;
        }
        ForwardLog log = new ForwardLog(ds);
        for (String name : names) {
            try {
                backlogs.put(name, new Entry(log.backlog(name), known && !files.contains(name)));
            } catch (StoreException e) {
                // a database that cannot answer: status says what it can about the rest
            }
        }
        return backlogs;
    }

    private static List<String> configured(Path conf) {
        if (conf == null || !Files.isDirectory(conf)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(conf)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(PREFIX) && f.endsWith(".cfg"))
                    .map(f -> f.substring(PREFIX.length(), f.length() - 4)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
