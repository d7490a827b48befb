package org.usblogd.usb.internal;

import java.util.Collection;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.usb.UsbDeviceInfo;

/** Picks the driver for a device: highest score wins, {@link DriverRef#PREFERENCE} breaks ties. */
final class DriverMatcher {
    private static final Logger log = LoggerFactory.getLogger(DriverMatcher.class);

    /** @param row the table row that won, or null when the driver matched in code */
    record Match(DriverRef driver, int score, DeviceMatch row) {
        String reason() {
            return "score " + score + ": " + (row == null ? "matched in code" : row.describe());
        }
    }

    private DriverMatcher() {
    }

    static Optional<Match> best(Collection<DriverRef> drivers, UsbDeviceInfo device) {
        Match best = null;
        for (DriverRef d : drivers) {
            Match m = score(d, device);
            if (m == null) {
                continue;
            }
            if (best == null || m.score() > best.score()
                    || m.score() == best.score() && DriverRef.PREFERENCE.compare(d, best.driver()) > 0) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The files of the other drivers configured by a file whose match keys also take the device (another
     * version of the same file's driver, during an update of its plugin, is not another file).
     */
    static java.util.List<String> configuredRivals(Collection<DriverRef> drivers, UsbDeviceInfo device,
            DriverRef winner) {
        if (winner.file() == null) {
            return java.util.List.of();
        }
        return drivers.stream().filter(d -> d.file() != null && !d.file().equals(winner.file()))
                .filter(d -> DeviceMatch.best(d.table(), device).isPresent()).map(DriverRef::file).distinct()
                .sorted().toList();
    }

    private static Match score(DriverRef d, UsbDeviceInfo device) {
        if (!d.table().isEmpty()) {
            return DeviceMatch.best(d.table(), device).map(row -> new Match(d, row.score(), row)).orElse(null);
        }
        try {
            int score = d.driver().match(device);
            return score > 0 ? new Match(d, score, null) : null;
        } catch (RuntimeException | LinkageError e) {
            log.error("driver {} failed while matching {}: {}", d, device, e.toString());
            return null;
        }
    }
}
