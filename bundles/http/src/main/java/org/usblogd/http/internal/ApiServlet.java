package org.usblogd.http.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.usblogd.api.output.OutputMonitor;
import org.usblogd.api.output.OutputStatus;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.status.StatusService;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.EventQuery;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.StoreException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The read-only JSON API, {@code /api/v1/...}: status, devices, a device's channels, samples, events, and the
 * live stream. A request it cannot answer as asked is a 4xx with a JSON message (what is wrong, and what it
 * knows instead), never a stack trace.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiServlet.ROOT + "/*")
@HttpWhiteboardServletAsyncSupported
public class ApiServlet extends HttpServlet {
    static final String ROOT = "/api/v1";
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    private static final List<String> ENDPOINTS = List.of(ROOT + "/status", ROOT + "/outputs", ROOT + "/devices",
            ROOT + "/devices/{device}/channels", ROOT + "/samples?device=&channel=&from=&to=&maxPoints=",
            ROOT + "/events?device=&kind=&since=&after=&limit=&order=oldest|newest", ROOT + "/stream?device=&channel=",
            ROOT + "/login (POST)");
    static final int DEFAULT_POINTS = 2_000;
    /** A day at 10 samples/s in one request: 16 bytes a sample while it is read, about 20 MB of JSON. */
    static final int MAX_POINTS = 1_000_000;
    static final int DEFAULT_EVENTS = 1_000;
    static final int MAX_EVENTS = 10_000;

    private final transient SampleStore store;
    private final transient StatusService status;
    /** The configured outputs (conf/org.usblogd.output-NAME.cfg), as they come and go. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private transient volatile List<OutputMonitor> outputs = List.of();
    private final transient Json json = new Json();
    private final transient StreamHub hub;
    private final transient Clock clock = Clock.systemUTC();

    @Activate
    public ApiServlet(@Reference SampleStore store, @Reference StatusService status, BundleContext context) {
        this.store = store;
        this.status = status;
        this.hub = new StreamHub(context);
    }

    @Deactivate
    void deactivate() {
        hub.close();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        Params params = new Params(request.getParameterMap(), clock);
        try {
            if (path.equals("/stream")) {
                if ("HEAD".equals(request.getMethod())) {
                    // the headers a stream would have; a stream answered into HEAD's discarded body would
                    // never notice its client leave, and hold a stream and a server thread for good
                    response.setContentType("text/event-stream");
                    response.setCharacterEncoding("UTF-8");
                    return;
                }
                stream(params, request, response);
                return;
            }
            json.write(response, answer(path, params));
        } catch (BadRequest e) {
            json.error(response, e.status, e.getMessage(), e.known);
        } catch (StoreException e) {
            json.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the store cannot answer now: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            // a fault of the API itself: the log has it whole, the client one line and no stack trace
            log.error("HTTP API: GET {} failed", request.getRequestURI(), e);
            if (!response.isCommitted()) {
                json.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "the API failed on this request ("
                        + e + "); the daemon's log has the details");
            }
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            try {
                super.service(request, response);
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
            return;
        }
        response.setHeader("Allow", "GET, HEAD");
        json.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "the API is read-only: " + method + " "
                + request.getRequestURI() + " is not answered; use GET");
    }

    /** An output's status as the API shows it: times as ISO-8601, ages in seconds, no unknown figures. */
    private static Map<String, Object> output(OutputStatus o) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", o.name());
        m.put("type", o.type());
        m.put("target", o.target());
        m.put("connected", o.connected());
        m.put("backlogSamples", o.backlogSamples() < 0 ? null : o.backlogSamples());
        m.put("backlogEvents", o.backlogEvents() < 0 ? null : o.backlogEvents());
        m.put("backlogOldest", o.backlogOldestMicros() == Long.MIN_VALUE ? null
                : Micros.toInstant(o.backlogOldestMicros()).toString());
        m.put("forwardedSamples", o.forwardedSamples());
        m.put("forwardedEvents", o.forwardedEvents());
        m.put("lastError", o.lastError());
        m.put("lastErrorTime", o.lastErrorMicros() == Long.MIN_VALUE ? null
                : Micros.toInstant(o.lastErrorMicros()).toString());
        return m;
    }

    private Object answer(String path, Params params) throws BadRequest, StoreException {
        switch (path) {
        case "/status":
            params.only(path);
            return status.status();
        case "/devices":
            params.only(path);
            return status.deviceStatus();
        case "/outputs":
            params.only(path);
            return outputs.stream().map(OutputMonitor::status).sorted(java.util.Comparator.comparing(
                    OutputStatus::name)).map(ApiServlet::output).toList();
        case "/samples":
            params.only(path, "device", "channel", "from", "to", "maxPoints");
            return samples(params);
        case "/events":
            params.only(path, "device", "kind", "since", "after", "limit", "order");
            return events(params);
        default:
            break;
        }
        if (path.startsWith("/devices/") && path.endsWith("/channels")) {
            params.only(path);
            String id = path.substring("/devices/".length(), path.length() - "/channels".length());
            List<DeviceStatus> devices = status.deviceStatus();
            return devices.stream().filter(d -> d.device().equals(id)).findFirst()
                    .orElseThrow(() -> new BadRequest(HttpServletResponse.SC_NOT_FOUND, "no device '" + id
                            + "' is known; known devices are listed", devices.stream().map(DeviceStatus::device)
                                    .toList()))
                    .channels();
        }
        throw new BadRequest(HttpServletResponse.SC_NOT_FOUND, "no endpoint " + ROOT + path + "; the API answers",
                ENDPOINTS);
    }

    private SampleSeries.Answer samples(Params params) throws BadRequest, StoreException {
        Map<String, List<String>> known = store.channelNames();
        String device = params.device(known, true);
        String channel = params.channel(known, device, true);
        Instant to = params.time("to", clock.instant());
        Instant from = params.time("from", to.minus(Duration.ofHours(1)));
        if (!from.isBefore(to)) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "from (" + from + ") is not before to (" + to
                    + "): nothing lies between");
        }
        int maxPoints = (int) params.number("maxPoints", DEFAULT_POINTS, 1, MAX_POINTS);
        return SampleSeries.read(store, new SampleSeries.Request(device, channel, from, to, maxPoints));
    }

    /**
     * The events answer: those asked for, at most {@code limit}; oldest first ({@code more}: later ones follow,
     * ask again after the last id), or newest first with {@code order=newest} ({@code more}: older ones were
     * left out).
     */
    record Events(List<EventStream.Event> events, boolean more) {
    }

    private Events events(Params params) throws BadRequest, StoreException {
        String device = params.device(store.channelNames(), false);
        String kind = params.text("kind");
        if (kind != null) {
            List<String> kinds = store.eventKinds();
            if (!kinds.contains(kind)) {
                throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "no event of kind '" + kind + "' has been"
                        + " recorded; the kinds recorded are listed", kinds);
            }
        }
        Instant since = params.time("since", null);
        long after = params.number("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) params.number("limit", DEFAULT_EVENTS, 1, MAX_EVENTS);
        String order = params.text("order");
        if (order != null && !order.equals("oldest") && !order.equals("newest")) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "order = " + order + ": give oldest (the default)"
                    + " or newest");
        }
        if ("newest".equals(order)) {
            return newestEvents(new EventQuery(device, kind, since, after), limit);
        }
        List<EventStream.Event> found = new ArrayList<>();
        boolean[] more = { false };
        try {
            store.events(new EventQuery(device, kind, since, after), e -> {
                if (found.size() == limit) {
                    more[0] = true;
                    throw new Enough();
                }
                found.add(EventStream.Event.of(e));
            });
        } catch (Enough e) {
            // the rest is for the next page (after = the last id)
        }
        return new Events(found, more[0]);
    }

    /**
     * The newest {@code limit} events, newest first: the store reads in commit order, so the matching events
     * pass through a window of {@code limit}, and the page gets a day's last events in one request.
     */
    private Events newestEvents(EventQuery query, int limit) throws StoreException {
        java.util.ArrayDeque<EventStream.Event> window = new java.util.ArrayDeque<>(limit);
        boolean[] more = { false };
        store.events(query, e -> {
            if (window.size() == limit) {
                window.removeFirst();
                more[0] = true;
            }
            window.addLast(EventStream.Event.of(e));
        });
        List<EventStream.Event> newestFirst = new ArrayList<>(window);
        java.util.Collections.reverse(newestFirst);
        return new Events(newestFirst, more[0]);
    }

    private void stream(Params params, HttpServletRequest request, HttpServletResponse response)
            throws BadRequest, StoreException, IOException {
        params.only("/stream", "device", "channel");
        Map<String, List<String>> known = store.channelNames();
        String device = params.device(known, false);
        String channel = params.channel(known, device, false);
        StreamClient client = new StreamClient(device, channel);
        if (!hub.add(client)) {
            throw new BadRequest(429, StreamHub.MAX_CLIENTS + " live streams are open already: close one");
        }
        try {
            new EventStream(json).serve(client, request.getRemoteAddr() + ":" + request.getRemotePort(), response);
        } catch (IOException e) {
            log.debug("HTTP stream to {} ended: {}", request.getRemoteAddr(), e.toString());
        } finally {
            hub.remove(client);
        }
    }
}
