package org.usblogd.framework;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.usblogd.store.jdbc.EventLog;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * {@code usblogd events --follow}: prints what there is, then what is committed after it, polling by event
 * id, until Ctrl-C or SIGTERM. The daemon may stop and start meanwhile: each round asks anew whether one runs
 * and where it serves the database.
 */
final class EventFollower {
    /** How often it looks for new events. */
    private static final long POLL_MS = 500;
    /** How long Ctrl-C or SIGTERM waits for the line being printed. */
    private static final long STOP_WAIT_MS = 2_000;

    /** Prints the events after the filter's id; returns the id of the last, or null when they could not be read. */
    interface Reader {
        Long read(EventLog log, EventLog.Filter filter, PrintStream err);
    }

    private final Path state;
    private final PrintStream out;
    private final Reader reader;
    private volatile boolean stopping;

    EventFollower(Path state, PrintStream out, Reader reader) {
        this.state = state;
        this.out = out;
        this.reader = reader;
    }

    int run(EventLog first, EventLog.Filter from, PrintStream err) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping = true;
            try {
                done.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "usblogd-events-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            EventLog log = first;
            EventLog.Filter filter = from;
            boolean failing = false;
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            while (!stopping) {
                if (log != null) {
                    Long last = reader.read(log, filter, failing ? nowhere : err);
                    if (last != null) {
                        filter = filter.after(last);
                        failing = false;
                    } else if (out.checkError()) {
                        return 0; // nobody reads what follows any more
                    } else {
                        failing = true; // said once; said again only after it worked in between
                    }
                }
                sleep(POLL_MS);
                log = servedLog();
            }
            return 0;
        } finally {
            out.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it lets the JVM go once this returns
            }
        }
    }

    private void sleep(long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!stopping && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(Math.min(50, ms));
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

    /**
     * The events as the running daemon serves them, or null when no daemon runs: only a daemon records
     * events, so there is nothing new to read then, and opening the file could stand in the way of a daemon
     * that is starting.
     */
    private EventLog servedLog() {
        if (!StateLock.held(state) || !Files.exists(new StoreLocation(state).serverFile())) {
            return null;
        }
        try {
            SqlSampleStore store = StoreAccess.open(state);
            return store == null ? null : new EventLog(store.dataSource());
        } catch (IOException e) {
            return null;
        }
    }
}
