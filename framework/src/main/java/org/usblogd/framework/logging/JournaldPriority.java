package org.usblogd.framework.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The syslog priority journald reads from a {@code <N>} line prefix (sd-daemon(3)): error 3, warning 4,
 * info 6, debug and trace 7. journald stores it as PRIORITY, so {@code journalctl -p err} finds our errors.
 */
public class JournaldPriority extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        if (level >= Level.ERROR_INT) {
            return "3";
        }
        if (level >= Level.WARN_INT) {
            return "4";
        }
        return level >= Level.INFO_INT ? "6" : "7";
    }
}
