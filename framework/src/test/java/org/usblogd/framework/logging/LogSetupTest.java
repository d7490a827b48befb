package org.usblogd.framework.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/** The daemon's log lines as a real logback context set up by {@link LogSetup} writes them to stdout. */
class LogSetupTest {
    private final PrintStream stdout = System.out;

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.clearProperty("usblogd.log.format");
        System.clearProperty("usblogd.log.level");
    }

    @Test
    void logbackFindsItAsItsConfiguratorWithoutAnyXmlFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()).toList())
                .contains(LogSetup.class.getName());
        assertThat(LogSetup.class.getResource("/logback.xml")).isNull();
    }

    @Test
    void aHumanReadsATimeTheLevelTheThreadAndTheClassOnEveryLine() {
        List<String> lines = logged(context -> {
            context.getLogger("org.usblogd.store.H2Store").info("store open: {}", "/var/lib/usblogd/db");
            context.getLogger("org.usblogd.store.H2Store").debug("not at the default level");
        });
        assertThat(lines).singleElement().asString()
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  \\[main\\] H2Store: store open: /var/lib/usblogd/db");
    }

    @Test
    void underJournaldEachEventIsOneLineWithItsPriorityAndNoTimeEvenWithAStackTrace() {
        System.setProperty("usblogd.log.format", "journald");
        List<String> lines = logged(context -> {
            context.getLogger("org.usblogd.x.PluginMonitor").error("garbage.jar is no bundle",
                    new IllegalStateException("bad\nmanifest"));
            context.getLogger("org.usblogd.x.Daemon").warn("two\nlines");
            context.getLogger("org.usblogd.x.Daemon").info("started");
        });
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("<3>PluginMonitor [main]: garbage.jar is no bundle | "
                + "java.lang.IllegalStateException: bad | manifest | at ");
        assertThat(lines.get(1)).isEqualTo("<4>Daemon [main]: two lines");
        assertThat(lines.get(2)).isEqualTo("<6>Daemon [main]: started");
    }

    @Test
    void theLevelIsTheOneAskedForAndTheConnectionPoolAndJettySayOnlyWarnings() {
        System.setProperty("usblogd.log.level", "DEBUG");
        List<String> lines = logged(context -> {
            context.getLogger("org.usblogd.usb.DeviceManager").debug("asked for");
            context.getLogger("com.zaxxer.hikari.HikariDataSource").info("pool starting");
            context.getLogger("org.eclipse.jetty.server.Server").info("jetty started");
            context.getLogger("org.eclipse.jetty.server.Server").warn("jetty warns");
        });
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("DeviceManager: asked for");
        assertThat(lines.get(1)).endsWith("Server: jetty warns");
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineIsLeftToLogback() {
        System.setProperty("logback.configurationFile", "/etc/usblogd/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            LogSetup setup = new LogSetup();
            setup.setContext(context);
            assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
                    .isFalse();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    private static List<String> logged(Consumer<LoggerContext> logging) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's own start gives the context
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        logging.accept(context);
        context.stop();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
