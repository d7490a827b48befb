package org.usblogd.api.driver;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * One row of a match table: which devices a driver takes, and how strongly. A row matches when every field
 * it sets matches; the best-scoring row over all drivers wins the device.
 *
 * <p>Scores, unless the row sets its own: vendor and product ID 100 ({@link Driver#MATCH_VID_PID}), vendor
 * ID alone 60, class 50 ({@link Driver#MATCH_CLASS}) plus 5 each for subclass and protocol, and 10 more for
 * every string the row names, so a row that also checks "WS1361" beats one that only knows 16c0:05dc.
 *
 * @param driver the driver's {@link Driver#name()}
 * @param vendorId idVendor, or -1 for any
 * @param productId idProduct, or -1 for any
 * @param manufacturer glob on the manufacturer string, or null for any
 * @param product glob on the product string, or null for any
 * @param usbClass device class or the class of any interface of the active configuration, or -1
 * @param subclass subclass of the same device or interface, or -1
 * @param protocol protocol of the same device or interface, or -1
 * @param serial glob on the serial number string, or null for any (for rows from configuration)
 * @param port the port path the device is plugged into ("1-1.4"), or null for any
 * @param explicitScore the row's own score, or 0 to use the one its fields earn
 */
public record DeviceMatch(String driver, int vendorId, int productId, String manufacturer, String product,
        int usbClass, int subclass, int protocol, String serial, String port, int explicitScore) {

    /** The capability namespace of match rows in a plugin's manifest. */
    public static final String NAMESPACE = "org.usblogd.usb.match";
    public static final String DRIVER = "driver";
    public static final String VID = "vid";
    public static final String PID = "pid";
    public static final String MANUFACTURER = "manufacturer";
    public static final String PRODUCT = "product";
    public static final String CLASS = "class";
    public static final String SUBCLASS = "subclass";
    public static final String PROTOCOL = "protocol";
    public static final String SERIAL = "serial";
    public static final String PORT = "port";
    public static final String SCORE = "score";
    /** The key patterns of a driver's own device settings ({@link UsbMatch#settings()}): not part of the row. */
    public static final String SETTINGS = "settings";
    /** A row without serial or port: the form of rows declared in manifests. */
    public DeviceMatch(String driver, int vendorId, int productId, String manufacturer, String product,
            int usbClass, int subclass, int protocol, int explicitScore) {
        this(driver, vendorId, productId, manufacturer, product, usbClass, subclass, protocol, null, null,
                explicitScore);
    }

    public DeviceMatch {
        if (driver == null || driver.isBlank()) {
            throw new IllegalArgumentException("a match row needs the driver's name");
        }
        if (vendorId < 0 && productId >= 0) {
            throw new IllegalArgumentException("a product ID means nothing without a vendor ID");
        }
        if (vendorId < 0 && usbClass < 0 && manufacturer == null && product == null && serial == null
                && port == null) {
            throw new IllegalArgumentException("a match row must name a vendor ID, a class, a string or a port");
        }
        if (usbClass < 0 && (subclass >= 0 || protocol >= 0)) {
            throw new IllegalArgumentException("a subclass or protocol means nothing without a class");
        }
    }

    /** A row for one vendor and product ID. */
    public static DeviceMatch vidPid(String driver, int vendorId, int productId) {
        return new DeviceMatch(driver, vendorId, productId, null, null, -1, -1, -1, 0);
    }

    /**
     * Reads a row from capability attributes (as written by {@link UsbMatch} or by hand in a manifest or a
     * configuration): hex strings for IDs and classes, globs for strings, a decimal score.
     *
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    public static DeviceMatch fromAttributes(Map<String, ?> attributes) {
        return new DeviceMatch(text(attributes, DRIVER), hex(attributes, VID, 0xffff), hex(attributes, PID, 0xffff),
                text(attributes, MANUFACTURER), text(attributes, PRODUCT), hex(attributes, CLASS, 0xff),
                hex(attributes, SUBCLASS, 0xff), hex(attributes, PROTOCOL, 0xff), text(attributes, SERIAL),
                text(attributes, PORT), decimal(attributes, SCORE));
    }

    /**
     * The device settings key patterns a capability declares ({@link #SETTINGS}): a list, an array or one
     * comma-separated text as a manifest or configuration gives them; blank ones left out.
     */
    public static List<String> settings(Map<String, ?> attributes) {
        Object v = attributes.get(SETTINGS);
        List<?> items = v == null ? List.of() : v instanceof java.util.Collection<?> c ? new ArrayList<>(c)
                : v instanceof Object[] a ? java.util.Arrays.asList(a) : List.of(v.toString().split(","));
        List<String> patterns = new ArrayList<>();
        for (Object item : items) {
            String p = item == null ? "" : item.toString().strip();
            if (!p.isEmpty()) {
                patterns.add(p);
            }
        }
        return patterns;
    }

    /** The score this row earns: its own, or the one its fields earn. */
    public int score() {
        if (explicitScore > 0) {
            return explicitScore;
        }
        int s = vendorId >= 0 ? (productId >= 0 ? Driver.MATCH_VID_PID : 60)
                : usbClass >= 0 ? Driver.MATCH_CLASS : 0;
        if (vendorId < 0 && usbClass >= 0) {
            s += (subclass >= 0 ? 5 : 0) + (protocol >= 0 ? 5 : 0);
        }
        if (vendorId < 0 && usbClass < 0) {
            s = 30; // strings or a port alone
        }
        return s + (manufacturer != null ? 10 : 0) + (product != null ? 10 : 0) + (serial != null ? 10 : 0)
                + (port != null ? 10 : 0);
    }

    /** {@link #score()} when the device matches every field of this row, else 0. */
    public int score(UsbDeviceInfo device) {
        return matches(device) ? score() : 0;
    }

    public boolean matches(UsbDeviceInfo device) {
        if (vendorId >= 0 && device.vendorId() != vendorId || productId >= 0 && device.productId() != productId) {
            return false;
        }
        if (!glob(manufacturer, device.manufacturer()) || !glob(product, device.product())
                || !glob(serial, device.serialNumber()) || port != null && !port.equals(device.portPath())) {
            return false;
        }
        if (usbClass < 0) {
            return true;
        }
        if (classMatches(device.deviceClass(), device.deviceSubClass(), device.deviceProtocol())) {
            return true;
        }
        for (UsbInterfaceInfo i : device.interfaces()) {
            if (classMatches(i.interfaceClass(), i.interfaceSubClass(), i.interfaceProtocol())) {
                return true;
            }
        }
        return false;
    }

    private boolean classMatches(int c, int sub, int proto) {
        return c == usbClass && (subclass < 0 || sub == subclass) && (protocol < 0 || proto == protocol);
    }

    /** What the row asks for, as people read it: "04d9:a052", "class fe/03", "16c0:05dc product 'WS13*'". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (vendorId >= 0) {
            parts.add(productId >= 0 ? String.format("%04x:%04x", vendorId, productId)
                    : String.format("vendor %04x", vendorId));
        }
        if (usbClass >= 0) {
            parts.add(String.format("class %02x", usbClass) + (subclass >= 0 ? String.format("/%02x", subclass) : "")
                    + (protocol >= 0 ? String.format("/%02x", protocol) : ""));
        }
        if (manufacturer != null) {
            parts.add("manufacturer '" + manufacturer + "'");
        }
        if (product != null) {
            parts.add("product '" + product + "'");
        }
        if (serial != null) {
            parts.add("serial '" + serial + "'");
        }
        if (port != null) {
            parts.add("port " + port);
        }
        return String.join(" ", parts);
    }

    @Override
    public String toString() {
        return driver + " [" + describe() + ", score " + score() + "]";
    }

    /** The best row of a table for a device. */
    public static Optional<DeviceMatch> best(List<DeviceMatch> table, UsbDeviceInfo device) {
        DeviceMatch best = null;
        for (DeviceMatch m : table) {
            if (m.matches(device) && (best == null || m.score() > best.score())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean glob(String pattern, String value) {
        if (pattern == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.matches(regex.toString(), value);
    }

    private static String text(Map<String, ?> attributes, String key) {
        Object v = attributes.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().strip();
    }

    private static int hex(Map<String, ?> attributes, String key, int max) {
        String v = text(attributes, key);
        if (v == null) {
            return -1;
        }
        String digits = v.toLowerCase(Locale.ROOT).startsWith("0x") ? v.substring(2) : v;
        try {
            int n = HexFormat.fromHexDigits(digits);
            if (digits.isEmpty() || digits.length() > 4 || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a hex number up to "
                    + Integer.toHexString(max));
        }
    }

    private static int decimal(Map<String, ?> attributes, String key) {
        String v = text(attributes, key);
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a positive whole number");
        }
    }
}
