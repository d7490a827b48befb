package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.sun.security.auth.module.UnixSystem;

/**
 * Whether the user running the daemon may keep its state in a directory, checked before anything is written
 * there. The directory must belong to that user: what the daemon writes would otherwise be the runner's, and
 * the owner's own daemon could no longer use it (root starting usblogd by hand on the service's
 * /var/lib/usblogd would leave a database and cache the service cannot write). And it must be writable.
 */
final class StateDirectoryCheck {
    /** The account this process runs as. */
    record User(long uid, String name) {
        static User current() {
            UnixSystem u = new UnixSystem();
            return new User(u.getUid(), u.getUsername() == null ? "uid " + u.getUid() : u.getUsername());
        }
    }

    private StateDirectoryCheck() {
    }

    static void check(Path state) throws StateDirectoryException {
        check(state, User.current());
    }

    static void check(Path state, User user) throws StateDirectoryException {
        try {
            if (!Files.exists(state)) {
                Path parent = existingAncestor(state);
                if (parent != null && !Files.isWritable(parent)) {
                    throw new StateDirectoryException("cannot create the state directory " + state + ": " + parent
                            + readOnly(parent, user) + "; create it for " + user.name() + " (sudo install -d -o "
                            + user.name() + " " + state + "), or give usblogd another one (--state DIR)");
                }
                return;
            }
            if (!Files.isDirectory(state)) {
                throw new StateDirectoryException("the state directory " + state + " is not a directory; give usblogd"
                        + " a directory (--state DIR)");
            }
            PosixFileAttributes a = Files.readAttributes(state, PosixFileAttributes.class);
            long owner = uid(state);
            if (owner != user.uid()) {
                String who = a.owner().getName();
                throw new StateDirectoryException("the state directory " + state + " belongs to " + who + ", not to "
                        + user.name() + " who runs usblogd: what this daemon wrote there would belong to " + user.name()
                        + " and " + who + "'s daemon could no longer use it; run it as " + who + " (sudo -u " + who
                        + " usblogd run --state " + state + "), or give it a state directory of its own (--state DIR)");
            }
            if (!Files.isWritable(state)) {
                throw new StateDirectoryException("the state directory " + state + readOnly(state, user)
                        + ": the daemon keeps its database and framework cache there; make it writable (chmod u+w "
                        + state + "), or give usblogd another one (--state DIR)");
            }
            for (Path p : entries(state)) {
                if (uid(p) != user.uid()) {
                    throw new StateDirectoryException(p + " in the state directory belongs to "
                            + Files.getOwner(p).getName() + ", not to " + user.name() + " who runs usblogd and owns "
                            + state + " (was usblogd run by another user there?): give it back (chown -R " + user.name()
                            + " " + state + ")");
                }
            }
        } catch (StateDirectoryException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or it changed under us: whatever fails later says so itself
        }
    }

    /** " is read-only for USER (mode owner:group)", or " is on a read-only file system". */
    private static String readOnly(Path dir, User user) throws IOException {
        if (Files.getFileStore(dir).isReadOnly()) {
            return " is on a read-only file system";
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
        return " is read-only for " + user.name() + " (" + PosixFilePermissions.toString(a.permissions()) + " "
                + a.owner().getName() + ":" + a.group().getName() + ")";
    }

    /** What the daemon writes into: its lock, its framework cache, its database directory and the files there. */
    private static List<Path> entries(Path state) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : List.of(StateLock.FILE_NAME, "felix-cache", "db")) {
            if (Files.exists(state.resolve(name))) {
                out.add(state.resolve(name));
            }
        }
        Path db = state.resolve("db");
        if (Files.isDirectory(db)) {
            try (Stream<Path> s = Files.list(db)) {
                s.forEach(out::add);
            }
        }
        return out;
    }

    private static long uid(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid")).longValue();
    }

    private static Path existingAncestor(Path p) {
        for (Path a = p.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                return a;
            }
        }
        return null;
    }
}
