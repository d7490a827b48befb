package org.usblogd.api.usb;

import java.util.Objects;

/**
 * Who a device is, stable across replug and reboot: VID:PID plus serial number when the device has one,
 * otherwise VID:PID plus the port path (so two identical serial-less devices stay distinct by socket).
 * Samples are stored against {@link #key()}, never against a bus address.
 */
public record DeviceIdentity(int vendorId, int productId, String serialNumber, String portPath) {

    public DeviceIdentity {
        if ((serialNumber == null || serialNumber.isBlank()) == (portPath == null)) {
            throw new IllegalArgumentException("an identity has either a serial number or a port path");
        }
    }

    public static DeviceIdentity of(UsbDeviceInfo info) {
        String serial = info.serialNumber();
        if (isSerialNumber(serial)) {
            return new DeviceIdentity(info.vendorId(), info.productId(), serial.strip(), null);
        }
        return byPort(info);
    }

    /**
     * Whether a serial string can tell units apart. Many cheap devices put their firmware version in iSerial
     * (CO2 monitors say "1.40" or "2.00") or one repeated digit ("000000000000"): every unit says the same.
     */
    public static boolean isSerialNumber(String serial) {
        if (serial == null || serial.isBlank()) {
            return false;
        }
        String s = serial.strip();
        if (s.matches("\\d{1,2}\\.\\d{1,3}")) {
            return false;
        }
        return s.chars().distinct().count() > 1;
    }

    /** The port-based identity, used also when two attached devices report the same serial number. */
    public static DeviceIdentity byPort(UsbDeviceInfo info) {
        return new DeviceIdentity(info.vendorId(), info.productId(), null, info.portPath());
    }

    /** "04d9:a052:SN123" or "04d9:a052@1-1.4"; what users pass to {@code export --device}. */
    public String key() {
        String vp = String.format("%04x:%04x", vendorId, productId);
        return serialNumber != null ? vp + ":" + serialNumber : vp + "@" + portPath;
    }

    @Override
    public String toString() {
        return key();
    }

    public boolean sameDeviceAs(DeviceIdentity other) {
        return other != null && Objects.equals(key(), other.key());
    }
}
