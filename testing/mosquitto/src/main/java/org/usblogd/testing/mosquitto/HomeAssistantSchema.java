package org.usblogd.testing.mosquitto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Home Assistant's documented schema of an MQTT sensor's discovery payload (the MQTT sensor platform, its
 * shared device and availability keys, and the units each sensor device class accepts), as far as a logger's
 * sensors use it: unknown keys, a missing state topic, a device without identifiers or a unit the device class
 * does not take are what Home Assistant logs and ignores.
 */
public final class HomeAssistantSchema {
    private static final Set<String> SENSOR_KEYS = Set.of("name", "unique_id", "state_topic", "value_template",
            "device_class", "unit_of_measurement", "state_class", "availability_topic", "payload_available",
            "payload_not_available", "device", "origin", "expire_after", "force_update", "icon",
            "json_attributes_topic", "json_attributes_template", "object_id", "default_entity_id", "qos",
            "enabled_by_default", "entity_category", "availability", "availability_mode",
            "suggested_display_precision", "last_reset_value_template", "platform", "encoding");
    private static final Set<String> DEVICE_KEYS = Set.of("identifiers", "connections", "name", "manufacturer",
            "model", "model_id", "sw_version", "hw_version", "suggested_area", "via_device", "configuration_url",
            "serial_number");
    private static final Set<String> ORIGIN_KEYS = Set.of("name", "sw_version", "support_url");
    private static final Set<String> STATE_CLASSES = Set.of("measurement", "total", "total_increasing");
    /** Sensor device classes and the units Home Assistant accepts for them (homeassistant.components.sensor). */
    private static final Map<String, Set<String>> UNITS = Map.ofEntries(
            Map.entry("temperature", Set.of("°C", "°F", "K")),
            Map.entry("humidity", Set.of("%")),
            Map.entry("carbon_dioxide", Set.of("ppm")),
            Map.entry("voltage", Set.of("V", "mV", "µV", "kV", "MV")),
            Map.entry("current", Set.of("A", "mA")),
            Map.entry("power", Set.of("W", "kW", "MW", "GW", "TW", "mW", "BTU/h")),
            Map.entry("sound_pressure", Set.of("dB", "dBA")),
            Map.entry("pressure", Set.of("cbar", "bar", "hPa", "mmHg", "inHg", "kPa", "mbar", "Pa", "psi")),
            Map.entry("weight", Set.of("kg", "g", "mg", "µg", "oz", "lb", "st")),
            Map.entry("frequency", Set.of("Hz", "kHz", "MHz", "GHz")),
            Map.entry("illuminance", Set.of("lx")));

    private HomeAssistantSchema() {
    }

    /** @throws AssertionError naming every way the payload breaks the schema */
    public static void checkSensor(JsonNode c) {
        List<String> wrong = new ArrayList<>();
        c.fieldNames().forEachRemaining(k -> {
            if (!SENSOR_KEYS.contains(k)) {
                wrong.add("unknown key " + k);
            }
        });
        for (String k : List.of("state_topic", "unique_id", "name", "availability_topic")) {
            if (!c.path(k).isTextual() || c.path(k).asText().isEmpty()) {
                wrong.add(k + " missing or not text");
            }
        }
        String state = c.path("state_topic").asText();
        if (state.contains("+") || state.contains("#")) {
            wrong.add("state_topic " + state + " has a wildcard");
        }
        if (c.has("state_class") && !STATE_CLASSES.contains(c.get("state_class").asText())) {
            wrong.add("state_class " + c.get("state_class"));
        }
        if (c.has("device_class")) {
            Set<String> units = UNITS.get(c.get("device_class").asText());
            if (units == null) {
                wrong.add("device_class " + c.get("device_class") + " is none of a sensor's");
            } else if (!units.contains(c.path("unit_of_measurement").asText())) {
                wrong.add("unit_of_measurement " + c.get("unit_of_measurement") + " is not one device class "
                        + c.get("device_class") + " takes: " + units);
            }
        }
        JsonNode d = c.path("device");
        if (!d.isObject()) {
            wrong.add("no device");
        } else {
            d.fieldNames().forEachRemaining(k -> {
                if (!DEVICE_KEYS.contains(k)) {
                    wrong.add("unknown device key " + k);
                }
            });
            if (!d.path("identifiers").isArray() || d.path("identifiers").isEmpty()) {
                wrong.add("device without identifiers");
            }
        }
        JsonNode o = c.path("origin");
        if (!o.isMissingNode()) {
            o.fieldNames().forEachRemaining(k -> {
                if (!ORIGIN_KEYS.contains(k)) {
                    wrong.add("unknown origin key " + k);
                }
            });
            if (!o.path("name").isTextual()) {
                wrong.add("origin without name");
            }
        }
        if (c.has("payload_available") != c.has("payload_not_available")) {
            wrong.add("only one of payload_available and payload_not_available");
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError("Home Assistant discovery payload " + c + ": " + String.join("; ", wrong));
        }
    }
}
