package org.usblogd.outputs.internal;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** What the outputs' failure log says while a test runs: the lines a user would read, by level. */
final class FailureLogLines implements AutoCloseable {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    FailureLogLines() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(FailureLog.class)).addAppender(logged);
    }

    List<String> at(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(FailureLog.class)).detachAppender(logged);
    }
}
