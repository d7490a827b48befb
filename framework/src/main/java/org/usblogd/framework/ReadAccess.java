package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.usblogd.store.jdbc.StoreLocation;

/**
 * Who may read the daemon's data, and with which database user: its owner with the owner's password, the
 * members of the owner's group with the reader's (which may only select). Anyone else is told in one line
 * which file or directory keeps them out, whose it is and how to get in.
 */
final class ReadAccess {
    /** The database user and password a reading command logs in with. */
    record Login(String user, String password) {
    }

    private ReadAccess() {
    }

    /** Fails with the one line that says what keeps this user out of the state directory or its database. */
    static void checkDirectories(Path state, StoreLocation location) throws IOException {
        for (Path dir : List.of(state, location.directory())) {
            if (!Files.exists(dir) && !Files.notExists(dir)) {
                throw denied(closedAncestor(dir)); // cannot even tell whether it exists
            }
            if (Files.exists(dir) && !Files.isExecutable(dir)) {
                throw denied(dir);
            }
        }
    }

    /** The owner's password when this user may read it, else the reader's, else the reason in one line. */
    static Login login(StoreLocation location) throws IOException {
        Path owners = location.credentialsFile();
        Path readers = location.readerCredentialsFile();
        if (Files.isReadable(owners) || !Files.exists(owners)) {
            return new Login(StoreLocation.USER, location.password());
        }
        if (Files.isReadable(readers)) {
            return new Login(StoreLocation.READER, location.readerPassword());
        }
        if (!Files.exists(readers)) {
            throw new IOException(owners + " is for its owner only, and the password its group reads with ("
                    + readers + ") is made by the daemon when it starts: restart the daemon once (systemctl restart"
                    + " usblogd)");
        }
        throw denied(readers);
    }

    private static IOException denied(Path p) throws IOException {
        String me = StateDirectoryCheck.User.current().name();
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        String owner = a.owner().getName();
        String group = a.group().getName();
        return new IOException("cannot read the daemon's data as " + me + ": " + p + " ("
                + PosixFilePermissions.toString(a.permissions()) + " " + owner + ":" + group + ") is open to " + owner
                + " and the members of the group " + group + " only; add " + me + " to the group (sudo usermod -a -G "
                + group + " " + me + ", then log in again), or run the command as " + owner + " (sudo -u " + owner
                + " usblogd ...)");
    }

    /** The nearest ancestor this user cannot enter. */
    private static Path closedAncestor(Path p) {
        Path closed = p;
        for (Path a = p.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a) && !Files.isExecutable(a)) {
                closed = a;
            }
        }
        return closed;
    }
}
