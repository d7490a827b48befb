package org.usblogd.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.usblogd.api.output.OutputMonitor;
import org.usblogd.api.store.Micros;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.status.StatusService;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoreMonitor;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /metrics}: the daemon's figures in the Prometheus text format, gathered at each scrape (devices,
 * store, events, plugins, JVM). Behind the same access filter as the API: with a token, Prometheus sends it
 * as a bearer token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
public class MetricsServlet extends HttpServlet {
    static final String PATH = "/metrics";
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient StatusService status;
    private final transient StoreMonitor monitor;
    private final transient SampleStore store;
    private final transient PluginChanges plugins;
    /** The configured outputs (conf/org.usblogd.output-NAME.cfg), as they come and go. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private transient volatile List<OutputMonitor> outputs = List.of();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final transient Json json = new Json();

    @Activate
    public MetricsServlet(@Reference StatusService status, @Reference StoreMonitor monitor,
            @Reference SampleStore store, BundleContext context) {
        this.status = status;
        this.monitor = monitor;
        this.store = store;
        String home = context.getProperty("usblogd.home");
        // as the launcher writes a plugin's location: File.toURI ("file:/..."), not Path.toUri ("file:///...")
        String plugins = home == null ? null
                : Path.of(home, "plugins").toAbsolutePath().normalize().toFile().toURI().toString();
        this.plugins = new PluginChanges(context, plugins == null || plugins.endsWith("/") ? plugins : plugins + "/");
        this.plugins.start();
    }

    @Deactivate
    void deactivate() {
        plugins.stop();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] text;
        try {
            DaemonMetrics.Figures figures = new DaemonMetrics.Figures(status.status(), status.deviceStatus(),
                    monitor.writerFigures(), store.eventCounts(), plugins.figures(), JvmFigures.read(),
                    outputs.stream().map(OutputMonitor::status).toList(), Micros.of(java.time.Instant.now()));
            ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
            writer.write(out, DaemonMetrics.of(figures));
            text = out.toByteArray();
        } catch (StoreException e) {
            json.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the store cannot answer now: "
                    + e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("HTTP API: GET {} failed", request.getRequestURI(), e);
            json.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "the metrics failed (" + e
                    + "); the daemon's log has the details");
            return;
        }
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
