package org.usblogd.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;

/**
 * Starts, moves and stops Felix's Jetty from {@code conf/org.usblogd.http.cfg}. The launcher tells Jetty to wait
 * for its configuration ({@code org.apache.felix.http.require.config}), and only this component gives it one,
 * through Configuration Admin (PID {@code org.apache.felix.http}): so Jetty listens where this file allows and
 * nowhere else, and an edit of the file moves or stops it while the daemon runs. The file is checked first: a
 * wrong value changes nothing; a plan it refuses (an address beyond this machine without a token) removes
 * Jetty's configuration, which stops it, and says why in one line. It also registers the {@link AccessFilter}
 * and gives it each good token: a token alone changes nothing that listens.
 */
@Component(immediate = true, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
public class HttpServer {
    /** The PID Felix's Jetty reads its address and port from. */
    static final String JETTY_PID = "org.apache.felix.http";
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final ConfigurationAdmin configurationAdmin;
    private final AccessFilter filter;
    private final ServiceRegistration<jakarta.servlet.Filter> filterRegistration;
    private volatile ConfigCheck.Checked<HttpConfig> config;
    private volatile ListenPlan plan;
    private final PageAnnouncer announcer = new PageAnnouncer();

    @Activate
    public HttpServer(@Reference ConfigurationAdmin configurationAdmin, BundleContext context,
            Map<String, Object> properties) {
        this.configurationAdmin = configurationAdmin;
        ConfigCheck.Checked<HttpConfig> checked = HttpConfigRules.CHECK.check(properties);
        report(checked, "its default is used until the file is corrected");
        this.filter = new AccessFilter(new Access(checked.config().token()));
        Dictionary<String, Object> whiteboard = new Hashtable<>();
        whiteboard.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, "/*");
        whiteboard.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED, Boolean.TRUE);
        this.filterRegistration = context.registerService(jakarta.servlet.Filter.class, filter, whiteboard);
        apply(checked, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ConfigCheck.Checked<HttpConfig> checked = HttpConfigRules.CHECK.check(properties);
        report(checked, "the HTTP API keeps its last good configuration");
        if (!checked.valid() || checked.changedFrom(config).isEmpty()) {
            return;
        }
        log.info("HTTP configuration changed in {}: {}", ConfigCheck.file(properties),
                String.join(", ", checked.changedFrom(config)));
        apply(checked, properties);
    }

    /**
     * Stops Jetty when this bundle stops on its own (an update, or an administrator's stop): without this
     * component's filter it would serve what remains unguarded. When the whole framework stops, Jetty's bundle
     * stops Jetty itself; removing its configuration as well would start a second stop on Configuration Admin's
     * thread, racing the first ("Service already unregistered" from Jetty's bundle). Either way Jetty may serve
     * a moment longer, and this bundle's servlets go after this component (in the order of their descriptions),
     * so then the filter stays: the framework unregisters it when this bundle stops, after all of its components
     * have gone (it went before the last servlets, which then answered unguarded). That holds too when
     * Declarative Services stops before this bundle, as it can in a framework stop.
     */
    @Deactivate
    void deactivate(BundleContext context) {
        announcer.close();
        boolean frameworkStopping = frameworkStopping(context);
        if (!frameworkStopping) {
            stopJetty();
        }
        if (!frameworkStopping && !bundleStopping(context)) {
            filterRegistration.unregister();
        }
    }

    private static boolean bundleStopping(BundleContext context) {
        try {
            return context.getBundle().getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // this bundle's context is no longer valid: the framework has taken its services
        }
    }

    private static boolean frameworkStopping(BundleContext context) {
        try {
            return context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return false; // this bundle's context is no longer valid: stop Jetty, as for a stop of this bundle
        }
    }

    /**
     * Logs where the page and the API are once Jetty serves both: its runtime appears when it has bound its port,
     * and says (through its change count) when servlets come; the API's comes once the store is open. A page
     * opened on an earlier line was Jetty's 404.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindRuntime",
            updated = "runtimeChanged")
    void runtime(HttpServiceRuntime runtime, ServiceReference<HttpServiceRuntime> ref) {
        runtimeChanged(runtime, ref);
    }

    void runtimeChanged(HttpServiceRuntime runtime, ServiceReference<HttpServiceRuntime> ref) {
        ListenPlan p = plan;
        if (p != null && p.listens()) {
            announcer.runtime(runtime, ref, p.address(), !config.config().token().isBlank());
        }
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        // Jetty stopped because its configuration was removed or changed, which said why; its next start says
        // where it is again
        announcer.gone();
    }

    private void apply(ConfigCheck.Checked<HttpConfig> checked, Map<String, Object> properties) {
        config = checked;
        filter.use(new Access(checked.config().token()));
        ListenPlan before = plan;
        ListenPlan next = ListenPlan.of(checked.config(), properties);
        plan = next;
        if (before != null && before.listens() && next.listens() && before.address().equals(next.address())
                && before.port() == next.port()) {
            return; // listening as asked already (port 0 included: it keeps the port it got)
        }
        if (!next.listens()) {
            if (next.problem().isPresent()) {
                log.error("{}", next.refusal());
            } else {
                log.info("{}", next.refusal());
            }
            stopJetty();
            return;
        }
        Integer port = freePort(next, ConfigCheck.file(properties));
        if (port == null) {
            plan = null; // not listening: the next edit tries again, whatever it changes
            stopJetty();
            return;
        }
        Dictionary<String, Object> jetty = new Hashtable<>();
        jetty.put("org.osgi.service.http.port", Integer.toString(port));
        jetty.put("org.apache.felix.http.host", next.address());
        jetty.put("org.apache.felix.http.enable", "true");
        jetty.put("org.apache.felix.https.enable", "false");
        jetty.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        // a page and a few API clients: a small pool, so the API adds little to the daemon's memory
        jetty.put("org.apache.felix.http.jetty.threadpool.max", "32");
        try {
            // "?": a multi-location configuration, so that Jetty's bundle (not this one) receives it
            configurationAdmin.getConfiguration(JETTY_PID, "?").update(jetty);
        } catch (IOException e) {
            log.error("the HTTP API cannot be configured ({}); it does not start", e.getMessage());
        }
    }

    /**
     * The port to give Jetty: the configured one when it is free (else null, said in one line, instead of
     * Jetty's stack trace), or, for port 0, one the system picks.
     */
    private static Integer freePort(ListenPlan plan, String file) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(plan.address()), plan.port()));
            return probe.getLocalPort();
        } catch (IOException e) {
            log.error("the HTTP API cannot listen on {} port {} ({}): another program uses it; set another port in {}",
                    plan.address(), plan.port(), e.getMessage(), file);
            return null;
        }
    }

    private void stopJetty() {
        try {
            Configuration[] existing = configurationAdmin.listConfigurations("(service.pid=" + JETTY_PID + ")");
            if (existing != null) {
                for (Configuration c : existing) {
                    c.delete();
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            log.warn("the HTTP server's configuration could not be removed: {}", e.getMessage());
        }
    }

    private static void report(ConfigCheck.Checked<HttpConfig> checked, String whatIsDone) {
        checked.errors().forEach(p -> log.error("{}; {}", p, whatIsDone));
        checked.unknownKeys().forEach(p -> log.warn("{}", p));
    }
}
