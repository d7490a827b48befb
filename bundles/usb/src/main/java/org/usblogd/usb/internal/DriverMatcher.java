package org.usblogd.usb.internal;

import java.util.Collection;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.usb.UsbDeviceInfo;

/** Picks the driver for a device: highest score wins, {@link DriverRef#PREFERENCE} breaks ties. */
final class DriverMatcher {
    private static final Logger log = LoggerFactory.getLogger(DriverMatcher.class);

    record Match(DriverRef driver, int score) {
    }

    private DriverMatcher() {
    }

    static Optional<Match> best(Collection<DriverRef> drivers, UsbDeviceInfo device) {
        Match best = null;
        for (DriverRef d : drivers) {
            int score;
            try {
                score = d.driver().match(device);
            } catch (RuntimeException | LinkageError e) {
                log.error("driver {} failed while matching {}: {}", d, device, e.toString());
                continue;
            }
            if (score <= 0) {
                continue;
            }
            if (best == null || score > best.score()
                    || score == best.score() && DriverRef.PREFERENCE.compare(d, best.driver()) > 0) {
                best = new Match(d, score);
            }
        }
        return Optional.ofNullable(best);
    }
}
