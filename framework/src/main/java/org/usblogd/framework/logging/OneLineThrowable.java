package org.usblogd.framework.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A stack trace on the same line as its message: journald takes every line as an entry of its own, which
 * would split one event into dozens of entries without the priority of the first.
 */
public class OneLineThrowable extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        String trace = super.convert(event);
        if (trace.isEmpty()) {
            return trace;
        }
        return " | " + trace.strip().replaceAll("\\R\\s*", " | ");
    }
}
