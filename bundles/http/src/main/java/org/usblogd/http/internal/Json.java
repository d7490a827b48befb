package org.usblogd.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/** Answers in JSON, written by Jackson: data, and errors as {@code {"error": ..., "known": [...]}}. */
final class Json {
    /**
     * Made on the first answer: a mapper loads some 380 classes, which a logger nobody asks keeps in memory for
     * nothing (some 4.5 MB of a plain run's resident memory, measured).
     */
    private volatile ObjectMapper mapper;

    private ObjectMapper mapper() {
        ObjectMapper m = mapper;
        if (m == null) {
            synchronized (this) {
                m = mapper;
                if (m == null) {
                    // a day of raw samples is 864,000 numbers: Jackson's Schubfach writer is several times Java
                    // 17's Double.toString
                    m = new ObjectMapper(JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                            .build());
                    mapper = m;
                }
            }
        }
        return m;
    }

    /** Streams the body (tens of MB for a raw day), so that it is never held twice in memory. */
    void write(HttpServletResponse response, Object body) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        // Jetty's 32 kB buffer made a raw day 2,500 blocking flushes
        response.setBufferSize(1 << 18);
        mapper().writeValue(response.getOutputStream(), body);
    }

    void error(HttpServletResponse response, int status, String message) throws IOException {
        error(response, status, message, null);
    }

    /** @param known what the request could have named instead (devices, channels, kinds), or null */
    void error(HttpServletResponse response, int status, String message, List<String> known) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (known != null) {
            body.put("known", known);
        }
        response.setStatus(status);
        write(response, body);
    }

    /** One line of JSON, for a Server-Sent Event's data. */
    String line(Object body) throws JsonProcessingException {
        return mapper().writeValueAsString(body);
    }
}
