package org.usblogd.outputs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The topics and JSON payloads of one MQTT output:
 * <ul>
 * <li>{@code TOPIC/NODE/DEVICE/CHANNEL}: {@code {"time":"…Z","value":21.5,"unit":"°C","device":…,"channel":…}},
 * the sample's time in ISO 8601 UTC with microseconds; with several samples per message the newest one's time
 * and value stay on top (what a Home Assistant template reads) and {@code "samples"} lists all of them, oldest
 * first, as {@code {"time":…,"value":…}};</li>
 * <li>{@code TOPIC/NODE/events}: {@code {"id":…,"time":…,"device":…,"kind":…,"message":…}};</li>
 * <li>{@code TOPIC/NODE/status}: {@code online} or {@code offline}, retained (birth and last will).</li>
 * </ul>
 * Device keys and channel names become one topic level each: characters MQTT gives a meaning there ({@code /},
 * {@code +}, {@code #}) and control characters are replaced by {@code _}. Device keys start with their
 * {@code VID:PID}, so no device's level is ever {@code events} or {@code status}.
 */
final class MqttMessages {
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final int perMessage;

    /** A message to publish. */
    record Message(String topic, byte[] payload, boolean retained) {
    }

    MqttMessages(String topic, String node, int perMessage) {
        this.base = topic + "/" + level(node);
        this.perMessage = perMessage;
    }

    String statusTopic() {
        return base + "/status";
    }

    String eventTopic() {
        return base + "/events";
    }

    String sampleTopic(String device, String channel) {
        return base + "/" + level(device) + "/" + level(channel);
    }

    /** One topic level: what MQTT reads as separators or wildcards, and control characters, become {@code _}. */
    static String level(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f
                ? '_' : c));
        return b.length() == 0 ? "_" : b.toString();
    }

    /** The batch's samples as messages: per channel in time order, {@code perMessage} samples at most in each. */
    List<Message> samples(List<StoredSample> samples) {
        Map<List<String>, List<StoredSample>> runs = new LinkedHashMap<>();
        for (StoredSample s : samples) {
            runs.computeIfAbsent(List.of(s.device(), s.channel(), s.unit()), k -> new ArrayList<>()).add(s);
        }
        List<Message> out = new ArrayList<>();
        runs.forEach((k, run) -> {
            String topic = sampleTopic(k.get(0), k.get(1));
            for (int i = 0; i < run.size(); i += perMessage) {
                out.add(new Message(topic, payload(run.subList(i, Math.min(run.size(), i + perMessage))), false));
            }
        });
        return out;
    }

    private byte[] payload(List<StoredSample> run) {
        StoredSample newest = run.get(run.size() - 1);
        ObjectNode o = json.createObjectNode();
        o.put("time", time(newest.timeMicros()));
        value(o, newest.value());
        o.put("unit", newest.unit());
        o.put("device", newest.device());
        o.put("channel", newest.channel());
        if (perMessage > 1) {
            ArrayNode all = o.putArray("samples");
            for (StoredSample s : run) {
                ObjectNode one = all.addObject();
                one.put("time", time(s.timeMicros()));
                value(one, s.value());
            }
        }
        return bytes(o);
    }

    /** JSON has no NaN or infinity: such a value (the store refuses them, but older files may hold one) is null. */
    private static void value(ObjectNode o, double v) {
        if (Double.isFinite(v)) {
            o.put("value", v);
        } else {
            o.putNull("value");
        }
    }

    Message event(StoredEvent e) {
        ObjectNode o = json.createObjectNode();
        o.put("id", e.id());
        o.put("time", time(e.timeMicros()));
        o.put("device", e.device());
        o.put("kind", e.kind());
        o.put("message", e.message());
        return new Message(eventTopic(), bytes(o), false);
    }

    /** A JSON object for a payload, from the one mapper the output's messages are written with. */
    ObjectNode object() {
        return json.createObjectNode();
    }

    byte[] bytes(ObjectNode o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain values always writes
        }
    }

    static String time(long micros) {
        return Micros.toInstant(micros).toString();
    }
}
