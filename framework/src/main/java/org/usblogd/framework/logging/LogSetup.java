package org.usblogd.framework.logging;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The daemon's logging, set up in code rather than from an XML file: logback's XML configurator and the
 * JDK's XML parser are some 400 classes that would stay loaded for the daemon's life to read ten lines once.
 * Lines go to stdout; under systemd (JOURNAL_STREAM set, or USBLOGD_LOG_FORMAT=journald, which {@code Main}
 * turns into {@code usblogd.log.format}) they carry journald's {@code <N>} priority prefix and no time of their
 * own, a stack trace on the same line: the journal adds time and host, one entry per line. A file named by
 * {@code -Dlogback.configurationFile} still replaces all of this.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public class LogSetup extends ContextAwareBase implements Configurator {
    static final String HUMAN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n";
    static final String JOURNALD = "<%priority>%logger{0} [%thread]: %replace(%msg){'\\R', ' '}%oneLineEx%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        boolean journald = "journald".equals(System.getProperty("usblogd.log.format"));
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("priority", JournaldPriority::new);
        layout.getInstanceConverterMap().put("oneLineEx", OneLineThrowable::new);
        layout.setPattern(journald ? JOURNALD : HUMAN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName(journald ? "journald" : "human");
        out.setEncoder(encoder);
        out.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("usblogd.log.level"), Level.INFO));
        root.addAppender(out);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        // Jetty's start and stop lines; the HTTP bundle says where the API listens
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
