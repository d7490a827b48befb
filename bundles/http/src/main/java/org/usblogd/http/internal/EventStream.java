package org.usblogd.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves one stream as Server-Sent Events until the client goes away or the daemon stops: an event
 * {@code samples} per commit (a JSON array), an event {@code event} per recorded event, {@code dropped} when
 * commits were dropped because the client read too slowly, and a comment as heartbeat when nothing happens.
 */
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** A comment this often keeps proxies and Jetty's idle timeout from closing a quiet stream. */
    static final long HEARTBEAT_MS = 15_000;

    /** A sample as the stream sends it. */
    record Sample(String time, String device, String channel, double value, String unit) {
    }

    /** An event as the stream and /events send it. */
    record Event(long id, String time, String device, String kind, String message) {
        static Event of(StoredEvent e) {
            return new Event(e.id(), Micros.toInstant(e.timeMicros()).toString(), e.device(), e.kind(), e.message());
        }
    }

    private final Json json;

    EventStream(Json json) {
        this.json = json;
    }

    void serve(StreamClient client, String who, HttpServletResponse response) throws IOException {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        send(out, ": usblogd live stream\nretry: 2000\n\n");
        boolean toldOfDrops = false;
        try {
            while (!client.closed()) {
                StreamClient.Batch b = client.next(HEARTBEAT_MS);
                long[] dropped = client.takeDropped();
                if (dropped[0] + dropped[1] > 0) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("samples", dropped[0]);
                    d.put("events", dropped[1]);
                    d.put("message", "this stream read too slowly to keep up: " + dropped[0] + " sample(s) and "
                            + dropped[1] + " event(s) were not sent to it (they are stored: read them from /samples"
                            + " and /events)");
                    send(out, "event: dropped\ndata: " + json.line(d) + "\n\n");
                    if (!toldOfDrops) {
                        log.warn("HTTP stream to {} reads too slowly to keep up: what does not fit is dropped for it"
                                + " alone and it is told so; the store and other clients are not held up", who);
                        toldOfDrops = true;
                    }
                }
                if (b == null) {
                    send(out, ": heartbeat\n\n");
                    continue;
                }
                StringBuilder s = new StringBuilder();
                if (!b.samples().isEmpty()) {
                    s.append("event: samples\ndata: ").append(json.line(b.samples().stream().map(x -> new Sample(
                            Micros.toInstant(x.timeMicros()).toString(), x.device(), x.channel(), x.value(), x.unit()))
                            .toList())).append("\n\n");
                }
                for (StoredEvent e : b.events()) {
                    s.append("event: event\nid: ").append(e.id()).append("\ndata: ").append(json.line(Event.of(e)))
                            .append("\n\n");
                }
                send(out, s.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
