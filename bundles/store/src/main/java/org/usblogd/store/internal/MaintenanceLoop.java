package org.usblogd.store.internal;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the store's maintenance on a thread of its own: step after step while there is work (with a short
 * pause between, so that the writer always gets the database), then a longer pause.
 */
final class MaintenanceLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(MaintenanceLoop.class);
    private static final long BETWEEN_STEPS_MS = 20;

    private final Maintenance maintenance;
    private volatile long idleMs;
    private final Thread thread = new Thread(this, "store-maintenance");
    private volatile boolean running;
    private String lastError;

    MaintenanceLoop(Maintenance maintenance, long idleMs) {
        this.maintenance = maintenance;
        this.idleMs = Math.max(100, idleMs);
        thread.setDaemon(true);
    }

    /** The pause when there is nothing to do; from the next pause on. */
    void idleMs(long ms) {
        this.idleMs = Math.max(100, ms);
    }

    void start() {
        running = true;
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        thread.join(10_000);
    }

    @Override
    public void run() {
        while (running) {
            long pause;
            try {
                pause = maintenance.step() ? BETWEEN_STEPS_MS : idleMs;
                lastError = null;
            } catch (SQLException | RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    log.warn("store maintenance failed, tried again later: {}", e.getMessage());
                }
                lastError = String.valueOf(e.getMessage());
                pause = idleMs;
            }
            synchronized (this) {
                try {
                    if (running) {
                        wait(pause);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
