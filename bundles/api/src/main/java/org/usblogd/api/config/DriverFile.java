package org.usblogd.api.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.usblogd.api.driver.DeviceMatch;

/**
 * The part every file of a driver configured per device shares ({@code conf/PID-NAME.cfg}: the serial and
 * HID drivers'): the driver's name and the device it drives, its match row ({@code match.vid},
 * {@code match.pid}, {@code match.serial}, {@code match.port}, ...). The drivers, {@code doctor} and
 * {@code check} read these keys here, so they read them alike; the match row itself stays a plain
 * {@link DeviceMatch}, which knows nothing of files.
 */
public final class DriverFile {
    /**
     * What a row from the user's own file scores unless it says otherwise: above any built-in row, because
     * naming a device in a file means this driver is wanted for it.
     */
    public static final int SCORE = 200;
    /** Prefix of the match keys ({@code match.vid = 2e8a}). */
    public static final String MATCH_PREFIX = "match.";
    /** Every key of the device's part of such a file: the match keys and {@code name}. */
    public static final List<String> KEYS = Stream.concat(Stream.of(DeviceMatch.VID, DeviceMatch.PID,
            DeviceMatch.MANUFACTURER, DeviceMatch.PRODUCT, DeviceMatch.CLASS, DeviceMatch.SUBCLASS,
            DeviceMatch.PROTOCOL, DeviceMatch.SERIAL, DeviceMatch.PORT, DeviceMatch.SCORE).map(k -> MATCH_PREFIX + k),
            Stream.of("name")).toList();
    /** Where FileInstall says which file the properties came from. */
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private DriverFile() {
    }

    /** The driver's name as the properties of its file give it: {@code name}, or after the file. */
    public static String driverName(String factoryPid, Map<String, ?> properties) {
        Object file = properties.get(FILE_PROPERTY);
        return driverName(factoryPid, file == null ? null : file.toString(), properties.get("name"));
    }

    /**
     * The name of a driver configured by a file {@code PID-NAME.cfg}: the last part of the PID and the NAME
     * ({@code org.usblogd.hid-thermo.cfg} is "hid/thermo"), unless the file sets {@code name}.
     */
    public static String driverName(String factoryPid, String fileName, Object explicitName) {
        if (explicitName != null && !explicitName.toString().isBlank()) {
            return explicitName.toString().strip();
        }
        String kind = factoryPid.substring(factoryPid.lastIndexOf('.') + 1);
        String f = fileName == null ? "" : fileName.substring(Math.max(fileName.lastIndexOf('/'), 0));
        f = f.startsWith("/") ? f.substring(1) : f;
        if (f.startsWith(factoryPid + "-")) {
            f = f.substring(factoryPid.length() + 1);
        }
        if (f.endsWith(".cfg")) {
            f = f.substring(0, f.length() - 4);
        }
        return f.isEmpty() ? kind : kind + "/" + f;
    }

    /**
     * The row the file's match keys make for the driver named {@code driver}; empty when it has none. It
     * scores {@link #SCORE} unless {@code match.score} says otherwise.
     *
     * @throws IllegalArgumentException naming the key that is wrong
     */
    public static Optional<DeviceMatch> match(String driver, Map<String, ?> properties) {
        Map<String, Object> attributes = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(MATCH_PREFIX) && v != null) {
                attributes.put(k.substring(MATCH_PREFIX.length()), v);
            }
        });
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        attributes.put(DeviceMatch.DRIVER, driver);
        try {
            DeviceMatch row = DeviceMatch.fromAttributes(attributes);
            return Optional.of(row.explicitScore() > 0 ? row : new DeviceMatch(row.driver(), row.vendorId(),
                    row.productId(), row.manufacturer(), row.product(), row.usbClass(), row.subclass(), row.protocol(),
                    row.serial(), row.port(), SCORE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MATCH_PREFIX + e.getMessage(), e);
        }
    }

    /**
     * The row of the driver a file configures, named after the file.
     *
     * @param whatItTakes how the file names its device, said when it does not ("match.vid and match.pid")
     * @throws IllegalArgumentException one line naming the file and what is wrong in its match keys
     */
    public static DeviceMatch row(String factoryPid, Map<String, ?> properties, String whatItTakes) {
        try {
            return match(driverName(factoryPid, properties), properties)
                    .orElseThrow(() -> new IllegalArgumentException("name the device with " + whatItTakes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigCheck.file(properties) + ": " + e.getMessage(), e);
        }
    }
}
