package org.usblogd.usb.internal.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.Range;
import org.usblogd.api.store.SampleRecorder;

/**
 * Tells the operator, in one log line and one event each, why a jar in plugins/ is not driving anything:
 * not a jar, not an OSGi bundle, an import nothing exports, a component that failed to activate, or one whose
 * activation does not return. The launcher and SCR report some of these in their own words somewhere in the
 * log; this says it where an operator looks (the log and the events) and names the file.
 */
@Component(immediate = true, configurationPid = PluginMonitor.PID)
@Designate(ocd = PluginMonitor.Config.class)
public class PluginMonitor {
    static final String PID = "org.usblogd.plugins";
    private static final Logger log = LoggerFactory.getLogger(PluginMonitor.class);
    private static final Pattern PACKAGE_FILTER = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");

    @ObjectClassDefinition(name = "usblogd plugin monitor")
    public @interface Config {
        @AttributeDefinition(description = "How often plugins/ is checked, in milliseconds")
        @Range(min = 100, max = 3_600_000)
        long check_interval_ms() default 2_000;

        @AttributeDefinition(description = "How long a new jar may take to become a working plugin before it is"
                + " reported, in milliseconds")
        @Range(min = 0, max = 3_600_000)
        long grace_ms() default 5_000;
    }

    private final BundleContext context;
    private final SampleRecorder recorder;
    private final ServiceComponentRuntime scr;
    private final Path plugins;
    private final long graceMs;
    private final Set<String> reported = new HashSet<>();
    /** Each jar's size and modification time as last seen, and since when (ms): a jar moved in keeps its old time. */
    private final Map<Path, long[]> seen = new HashMap<>();
    /** Immediate component configurations seen activating (SCR state SATISFIED): id to first seen, ms. */
    private final Map<Long, Long> activatingSince = new HashMap<>();
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;

    /**
     * Takes the configuration as properties: Declarative Services would fail the monitor on a value it cannot
     * convert. It keeps nothing worth keeping across a change, so a wrong value takes its default.
     */
    @Activate
    public PluginMonitor(BundleContext context, @Reference SampleRecorder recorder,
            @Reference ServiceComponentRuntime scr, Map<String, Object> properties) {
        this(context, recorder, scr, checked(properties));
    }

    private static Config checked(Map<String, Object> properties) {
        ConfigCheck.Checked<Config> c = PluginMonitorConfigRules.CHECK.check(properties);
        c.errors().forEach(p -> log.error("{}; its default is used until the file is corrected", p));
        c.unknownKeys().forEach(p -> log.warn("{}", p));
        return c.config();
    }

    private PluginMonitor(BundleContext context, SampleRecorder recorder, ServiceComponentRuntime scr,
            Config config) {
        this.context = context;
        this.recorder = recorder;
        this.scr = scr;
        String home = context.getProperty("usblogd.home");
        this.plugins = home == null ? null : Path.of(home, "plugins");
        this.graceMs = config.grace_ms();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "usb-plugin-monitor");
            t.setDaemon(true);
            return t;
        });
        if (plugins != null) {
            timer.scheduleWithFixedDelay(this::check, config.check_interval_ms(), config.check_interval_ms(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopped = true;
        timer.shutdownNow();
        // a check under way would find this bundle's context invalid once the bundle has stopped
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }

    void check() {
        try {
            if (context.getBundle(0).getState() != Bundle.ACTIVE) {
                return; // the framework is stopping: bundles are going, not broken
            }
        } catch (IllegalStateException e) {
            return; // this bundle is stopping: its context is no longer valid
        }
        try {
            long now = System.currentTimeMillis();
            Set<Long> activating = new HashSet<>();
            Set<String> current = new HashSet<>();
            List<Path> jars = jars();
            seen.keySet().retainAll(jars);
            for (Path jar : jars) {
                Bundle b = bundleOf(jar);
                Problem problem = b == null ? Problem.of(notInstalled(jar, now)) : notWorking(b, now, activating);
                if (problem != null) {
                    String key = jar.getFileName() + ": " + problem.key();
                    current.add(key);
                    if (reported.add(key)) {
                        String message = "plugin " + plugins.relativize(jar) + " " + problem.message();
                        log.error(message);
                        recorder.event(null, "plugin.broken", message);
                    }
                }
            }
            reported.retainAll(current); // fixed or removed: report again if it breaks again
            activatingSince.keySet().retainAll(activating);
        } catch (RuntimeException e) {
            if (!stopped && !(e instanceof IllegalStateException)) {
                log.warn("checking {} failed: {}", plugins, e.toString());
            } // else: the framework or this bundle is stopping, and its context went invalid during the check
        }
    }

    /** What is wrong with a plugin: the message, and the part of it that stays the same while it lasts. */
    record Problem(String key, String message) {
        static Problem of(String message) {
            return message == null ? null : new Problem(message, message);
        }
    }

    private List<Path> jars() {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(plugins)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
        } catch (IOException e) {
            // no plugins directory: nothing to check
        }
        return jars;
    }

    /** The bundle installed from this jar: its location is the file's URI, in some spelling. */
    private Bundle bundleOf(Path jar) {
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (!location.startsWith("file:")) {
                continue;
            }
            try {
                if (Files.isSameFile(Path.of(java.net.URI.create(location)), jar)) {
                    return b;
                }
            } catch (IOException | IllegalArgumentException e) {
                // not a plain file location, or the file is gone
            }
        }
        return null;
    }

    private String notInstalled(Path jar, long now) {
        if (now - firstSeen(jar, now) < graceMs) {
            return null; // the launcher installs new jars within a second
        }
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            if (m == null || m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "is not an OSGi bundle (its manifest has no Bundle-SymbolicName): ignored; a driver plugin"
                        + " is a bundle built against usblogd's API";
            }
            return "is a bundle (" + m.getMainAttributes().getValue("Bundle-SymbolicName")
                    + ") but was not installed: see the log above";
        } catch (IOException e) {
            return "is not a jar (" + e.getMessage() + "): ignored";
        }
    }

    private Problem notWorking(Bundle b, long now, Set<Long> activating) {
        if (b.getState() == Bundle.INSTALLED) {
            if (now - b.getLastModified() < graceMs) {
                return null; // just installed or updated: the launcher resolves and starts it next
            }
            return Problem.of("(" + b.getSymbolicName() + " " + b.getVersion() + ") cannot be resolved: "
                    + missingImports(b));
        }
        if (b.getState() != Bundle.ACTIVE) {
            return null;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    String failure = rootCause(c.failure);
                    return Problem.of("(" + b.getSymbolicName() + " " + b.getVersion() + "): component " + d.name
                            + " failed to activate: " + failure);
                }
                // An immediate component stays SATISFIED only while SCR is creating and activating it.
                if (d.immediate && c.state == ComponentConfigurationDTO.SATISFIED) {
                    activating.add(c.id);
                    long since = activatingSince.computeIfAbsent(c.id, k -> now);
                    if (now - since >= graceMs) {
                        String what = "(" + b.getSymbolicName() + " " + b.getVersion() + "): component " + d.name
                                + " has not finished activating";
                        return new Problem(what, what + " after " + (now - since + 500) / 1000 + " s: its"
                                + " constructor or activate method does not return (" + whereRunning(
                                        d.implementationClass) + "). It drives nothing, and the rest of usblogd goes"
                                + " on without it; remove or replace the jar");
                    }
                }
            }
        }
        return null;
    }

    /** Which thread runs a class's code, and where: what a thread dump would show an operator. */
    static String whereRunning(String className) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = e.getValue();
            for (StackTraceElement frame : stack) {
                String c = frame.getClassName();
                if (c.equals(className) || c.startsWith(className + "$")) {
                    String where = "thread " + e.getKey().getName() + " is in " + stack[0];
                    return frame == stack[0] ? where : where + ", called from " + frame;
                }
            }
        }
        return "no thread is in its code now";
    }

    /** SCR gives a stack trace; the operator needs its innermost cause. */
    static String rootCause(String trace) {
        if (trace == null || trace.isBlank()) {
            return "no reason given";
        }
        return trace.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b)
                .map(l -> l.substring("Caused by: ".length())).orElse(trace.lines().findFirst().orElse(trace));
    }

    private String missingImports(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        Set<String> exported = new HashSet<>();
        List<BundleCapability> exports = new ArrayList<>();
        for (Bundle other : context.getBundles()) {
            BundleRevision r = other.adapt(BundleRevision.class);
            if (r != null && (other.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                for (BundleCapability c : r.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                    exported.add(String.valueOf(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)));
                    exports.add(c);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> wrongVersion = new ArrayList<>();
        for (BundleRequirement req : revision.getDeclaredRequirements(BundleRevision.PACKAGE_NAMESPACE)) {
            Matcher m = PACKAGE_FILTER.matcher(String.valueOf(req.getDirectives().get("filter")));
            if (!m.find() || "optional".equals(req.getDirectives().get("resolution"))) {
                continue;
            }
            if (!exported.contains(m.group(1))) {
                missing.add(m.group(1));
            } else if (exports.stream().noneMatch(req::matches)) {
                wrongVersion.add(m.group(1) + " " + req.getDirectives().get("filter") + ", exported as " + exports
                        .stream().filter(c -> m.group(1).equals(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)))
                        .map(c -> String.valueOf(c.getAttributes().get("version"))).distinct().toList());
            }
        }
        if (!missing.isEmpty()) {
            return "it imports " + String.join(", ", missing) + ", which no installed bundle exports";
        }
        return wrongVersion.isEmpty() ? "a requirement that is not a package import is not met"
                : "no installed bundle exports a version it accepts of " + String.join("; ", wrongVersion)
                        + ": it was built against another version of usblogd";
    }

    /** When this version of the jar was first seen: a change of size or time starts the grace again. */
    private long firstSeen(Path jar, long now) {
        long[] stamp;
        try {
            stamp = new long[] { Files.size(jar), Files.getLastModifiedTime(jar).toMillis(), now };
        } catch (IOException e) {
            return now;
        }
        long[] before = seen.get(jar);
        if (before == null || before[0] != stamp[0] || before[1] != stamp[1]) {
            seen.put(jar, stamp);
            return now;
        }
        return before[2];
    }
}
