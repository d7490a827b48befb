package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The daemon that holds a state directory's lock, as {@code usblogd status} shows it: its pid and version
 * from the lock file, its start from the process itself (else from when it wrote the lock file).
 *
 * @param pid null when the lock file does not say (written before it was readable, or not readable)
 * @param version null when the daemon did not run from its jar
 * @param started null when neither the process nor the lock file tells
 */
record RunningDaemon(Long pid, String version, Instant started) {

    /** The daemon running on {@code state}, or empty when none holds its lock. */
    static Optional<RunningDaemon> on(Path state) {
        if (!StateLock.held(state)) {
            return Optional.empty();
        }
        Path file = state.resolve(StateLock.FILE_NAME);
        List<String> lines = StateLock.lines(file);
        Long pid = !lines.isEmpty() && lines.get(0).matches("[0-9]{1,18}") ? Long.valueOf(lines.get(0)) : null;
        String version = lines.size() > 1 && !lines.get(1).isEmpty() ? lines.get(1) : null;
        Instant started = pid == null ? null
                : ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(null);
        if (started == null) {
            try {
                started = Files.getLastModifiedTime(file).toInstant(); // written as it took the lock
            } catch (IOException e) {
                started = null;
            }
        }
        return Optional.of(new RunningDaemon(pid, version, started));
    }
}
