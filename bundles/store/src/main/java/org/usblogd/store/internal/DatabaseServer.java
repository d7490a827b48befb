package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;

import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.store.jdbc.DurableFile;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * Serves the daemon's open database to the command line ({@code usblogd export} while the daemon runs) on
 * a loopback port chosen by the system, published in the state directory. Only the database file is
 * served, under one name, and H2 servers are bound to 127.0.0.1 by the launcher.
 */
final class DatabaseServer {
    private static final Logger log = LoggerFactory.getLogger(DatabaseServer.class);

    private final Server server;
    private final StoreLocation location;

    private DatabaseServer(Server server, StoreLocation location) {
        this.server = server;
        this.location = location;
    }

    /** Null when the server cannot start: the daemon works on, export needs the daemon stopped. */
    static DatabaseServer start(StoreLocation location) {
        try {
            Server s = Server.createTcpServer("-tcpPort", "0", "-ifExists", "-key", StoreLocation.SERVED_NAME,
                    location.databasePath()).start();
            DurableFile.write(location.serverFile(), s.getPort() + "\n", false);
            log.debug("database served on 127.0.0.1:{}", s.getPort());
            return new DatabaseServer(s, location);
        } catch (SQLException | IOException e) {
            log.warn("cannot serve the database to the command line ({}); 'usblogd export' works while the daemon is stopped",
                    e.getMessage());
            return null;
        }
    }

    void stop() {
        try {
            Files.deleteIfExists(location.serverFile());
        } catch (IOException e) {
            log.debug("removing {}: {}", location.serverFile(), e.getMessage());
        }
        server.stop();
    }
}
