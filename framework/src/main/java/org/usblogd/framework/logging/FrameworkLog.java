package org.usblogd.framework.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix's own reports (a bundle that fails to start or stop, a resolver problem) as the daemon's log lines:
 * without it Felix prints them as {@code ERROR: ...} on stdout with a stack trace on stderr, which under systemd
 * becomes a journal entry per line, none of them with a priority. Given to Felix as {@code felix.log.logger};
 * Felix has already put the bundle's name into the message.
 */
public class FrameworkLog extends org.apache.felix.framework.Logger {
    private final Logger log = LoggerFactory.getLogger("org.apache.felix.framework.Felix");

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        switch (level) {
            case LOG_ERROR -> log.error(msg, throwable);
            case LOG_WARNING -> log.warn(msg, throwable);
            case LOG_INFO -> log.info(msg, throwable);
            default -> log.debug(msg, throwable);
        }
    }
}
