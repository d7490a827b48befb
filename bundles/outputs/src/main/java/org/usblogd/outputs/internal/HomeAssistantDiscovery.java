package org.usblogd.outputs.internal;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Home Assistant's MQTT discovery: one sensor per channel, grouped into one device per USB device, announced
 * with a retained message on {@code PREFIX/sensor/NODE_ID/OBJECT_ID/config} (Home Assistant reads retained
 * configurations when it starts). The sensor reads the channel's topic with {@code {{ value_json.value }}}, is
 * available while this daemon's status topic says {@code online}, and carries the unit and, where the unit
 * tells it, the device class Home Assistant draws and converts by.
 */
final class HomeAssistantDiscovery {
    /**
     * Units whose meaning is plain from the unit alone, with the class and the unit Home Assistant accepts for it
     * ({@code %RH} is spelt {@code %} there).
     */
    private static final Map<String, String[]> CLASSES = Map.ofEntries(
            Map.entry("°C", new String[] { "temperature", "°C" }),
            Map.entry("°F", new String[] { "temperature", "°F" }),
            Map.entry("K", new String[] { "temperature", "K" }),
            Map.entry("%RH", new String[] { "humidity", "%" }),
            Map.entry("V", new String[] { "voltage", "V" }),
            Map.entry("mV", new String[] { "voltage", "mV" }),
            Map.entry("A", new String[] { "current", "A" }),
            Map.entry("mA", new String[] { "current", "mA" }),
            Map.entry("W", new String[] { "power", "W" }),
            Map.entry("kW", new String[] { "power", "kW" }),
            Map.entry("dB", new String[] { "sound_pressure", "dB" }),
            Map.entry("dBA", new String[] { "sound_pressure", "dBA" }),
            Map.entry("Pa", new String[] { "pressure", "Pa" }),
            Map.entry("hPa", new String[] { "pressure", "hPa" }),
            Map.entry("kPa", new String[] { "pressure", "kPa" }),
            Map.entry("mbar", new String[] { "pressure", "mbar" }),
            Map.entry("bar", new String[] { "pressure", "bar" }),
            Map.entry("psi", new String[] { "pressure", "psi" }),
            Map.entry("g", new String[] { "weight", "g" }),
            Map.entry("kg", new String[] { "weight", "kg" }),
            Map.entry("oz", new String[] { "weight", "oz" }),
            Map.entry("lb", new String[] { "weight", "lb" }),
            Map.entry("Hz", new String[] { "frequency", "Hz" }),
            Map.entry("lx", new String[] { "illuminance", "lx" }));

    private final MqttMessages messages;
    private final String prefix;
    private final String node;

    HomeAssistantDiscovery(MqttMessages messages, String prefix, String node) {
        this.messages = messages;
        this.prefix = prefix;
        this.node = node;
    }

    /** The retained configuration of one channel's sensor. */
    MqttMessages.Message sensor(String device, String channel, String unit) {
        String deviceId = id("usblogd_" + node + "_" + device);
        String objectId = id(device + "_" + channel);
        ObjectNode o = messages.object();
        o.put("name", channel);
        o.put("unique_id", deviceId + "_" + id(channel));
        o.put("state_topic", messages.sampleTopic(device, channel));
        o.put("value_template", "{{ value_json.value }}");
        String[] known = deviceClass(channel, unit);
        if (known != null) {
            o.put("device_class", known[0]);
            o.put("unit_of_measurement", known[1]);
        } else if (!unit.isEmpty()) {
            o.put("unit_of_measurement", unit);
        }
        o.put("state_class", "measurement");
        o.put("availability_topic", messages.statusTopic());
        o.put("payload_available", "online");
        o.put("payload_not_available", "offline");
        ObjectNode d = o.putObject("device");
        d.putArray("identifiers").add(deviceId);
        d.put("name", device + " on " + node);
        d.put("manufacturer", "usblogd");
        int at = device.indexOf('@');
        if (at == 9) {
            d.put("model", "USB " + device.substring(0, 9)); // keys start with VID:PID
        }
        o.putObject("origin").put("name", "usblogd");
        String topic = prefix + "/sensor/" + id("usblogd_" + node) + "/" + objectId + "/config";
        return new MqttMessages.Message(topic, messages.bytes(o), true);
    }

    /** The class and Home Assistant's spelling of the unit; null when the unit does not say what is measured. */
    static String[] deviceClass(String channel, String unit) {
        String[] known = CLASSES.get(unit);
        if (known != null) {
            return known;
        }
        String c = channel.toLowerCase(Locale.ROOT);
        if (unit.equals("ppm") && c.contains("co2")) {
            return new String[] { "carbon_dioxide", "ppm" };
        }
        if (unit.equals("%") && (c.contains("hum") || c.equals("rh") || c.equals("h"))) {
            return new String[] { "humidity", "%" };
        }
        return null;
    }

    /** Discovery's node and object ids take letters, digits, {@code _} and {@code -} only. */
    static String id(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            b.append(ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-') ? ch : '_');
        }
        return b.toString();
    }
}
