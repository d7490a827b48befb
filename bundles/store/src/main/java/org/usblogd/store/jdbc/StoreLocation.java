package org.usblogd.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where the embedded database lives and how the daemon and the command line reach the same file. While the
 * daemon runs it serves the database on a loopback TCP port written to {@link #serverFile}; otherwise the
 * command line opens the file itself.
 */
public final class StoreLocation {
    public static final String USER = "usblogd";
    /**
     * A database user that may only read: its password is readable by the group of the daemon's user, so that
     * the group's members can run the reading commands, and cannot write or delete through the daemon's server.
     */
    public static final String READER = "READER";
    /** The name the daemon's TCP server maps to the database file. */
    public static final String SERVED_NAME = "usblogd";
    /** The daemon's H2 page cache ({@link #embeddedUrl()}). */
    static final int PAGE_CACHE_KB = 4_096;
    /** Statements each of the daemon's connections keeps parsed ({@link #embeddedUrl()}). */
    static final int PARSED_STATEMENTS = 64;

    private final Path directory;

    public StoreLocation(Path stateDirectory) {
        this.directory = stateDirectory.resolve("db").toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    public Path databaseFile() {
        return directory.resolve("usblogd.mv.db");
    }

    public boolean exists() {
        return Files.exists(databaseFile());
    }

    /** The port of the running daemon's database server, one line. */
    public Path serverFile() {
        return directory.resolve("server.port");
    }

    public String databasePath() {
        return directory.resolve("usblogd").toString();
    }

    /**
     * For the daemon. DB_CLOSE_ON_EXIT=FALSE because the store writes its queue on SIGTERM and must close
     * the database itself, after that; H2's own shutdown hook would race it. WRITE_DELAY=0: a commit is in the
     * file when it returns, so a killed daemon loses nothing it committed. REUSE_SPACE=FALSE: H2 appends
     * every chunk and never overwrites the space of a dead one while it runs, so a power cut cannot make it
     * open an older version than the last sync (with reuse, H2 2.5.252's header may point at a chunk older than
     * the newest, and a chunk the synced version needs may be overwritten by one that never reached the disk
     * whole); the writer reclaims the space in short windows right after a sync. RETENTION_TIME only governs
     * those windows (dead chunks younger than 5 s are left alone). CACHE_SIZE (kB): H2's page cache takes 16 MB
     * by default, filled over the daemon's first hour and a sixth of its heap; what the writer touches (the
     * right edge of each table) and a query's pages read once need far less, and a small board keeps the rest.
     * 4 MB is full within minutes, so the heap stops growing with it early; the store's benchmark stored as
     * much with it as with 8 MB, and the daemon read as much from its file. QUERY_CACHE_SIZE: the statements
     * each connection keeps parsed. H2 keeps 8, and the daemon runs some 35 distinct ones in a few minutes (the
     * writer, roll-ups, maintenance, the API), so most were parsed again at each use: H2's parser crossed the
     * JIT's threshold ten minutes into the demo and then one method after another, the largest share of what
     * was compiled after the first ten minutes (the code cache that the soak sees grow).
     */
    public String embeddedUrl() {
        return "jdbc:h2:file:" + databasePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME=5000"
                + ";COMPRESS=TRUE;REUSE_SPACE=FALSE;CACHE_SIZE=" + PAGE_CACHE_KB + ";QUERY_CACHE_SIZE="
                + PARSED_STATEMENTS;
    }

    /**
     * For the command line while the daemon is stopped: read-only, so that nothing is written to the file, not
     * even when it is closed (H2 compacts a file it opened for writing).
     */
    public String readOnlyUrl() {
        return "jdbc:h2:file:" + databasePath() + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
    }

    public String serverUrl(int port) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + SERVED_NAME;
    }

    /**
     * The database password: random, made with the database and readable by its owner only, because the
     * daemon's TCP server is reachable by every local user.
     */
    public String password() throws IOException {
        Path file = credentialsFile();
        if (Files.exists(file)) {
            return DurableFile.read(file, "the database's password; if the database was made with it, it cannot be"
                    + " opened without it: restore the file from a backup, or move the database aside to start a new"
                    + " one");
        }
        if (exists()) {
            return ""; // a database made before the password existed
        }
        Files.createDirectories(directory);
        String password = newPassword();
        DurableFile.write(file, password + "\n", true);
        return password;
    }

    /** The {@link #READER}'s password, made when first asked for and readable by the owner's group. */
    public String readerPassword() throws IOException {
        Path file = readerCredentialsFile();
        if (Files.exists(file)) {
            return DurableFile.read(file, "the password of the database's reader; the daemon makes a new one at its"
                    + " next start when the file is removed");
        }
        Files.createDirectories(directory);
        String password = newPassword();
        DurableFile.write(file, password + "\n", PosixFilePermissions.fromString("rw-r-----"));
        return password;
    }

    private static String newPassword() {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** What the store had forced to the disk, kept beside the database ({@link HighWaterMark}). */
    public Path highWaterFile() {
        return directory.resolve("highwater");
    }

    /**
     * Present while the daemon's store cannot write: when it began and why ({@code usblogd status} reads it;
     * the database cannot say so, since it is what cannot be written).
     */
    public Path outageFile() {
        return directory.resolve("outage");
    }

    public Path credentialsFile() {
        return directory.resolve("credentials");
    }

    public Path readerCredentialsFile() {
        return directory.resolve("reader-credentials");
    }
}
