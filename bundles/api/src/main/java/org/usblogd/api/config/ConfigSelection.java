package org.usblogd.api.config;

import java.util.Objects;

import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.usb.UsbDeviceInfo;

/** The devices one configuration file is about: those its driver takes, or those it holds settings for. */
public interface ConfigSelection {
    /** As a user reads it: "driver serial/pico: 2e8a:000a (score 200)", "settings of device 16c0:05dc". */
    String describe();

    /** Whether the file applies to this device. */
    boolean matches(UsbDeviceInfo device);

    /**
     * Whether another file is about some of the same devices in a way only one of the two can have its say,
     * whichever devices are attached (the daemon reports such files).
     */
    boolean overlaps(ConfigSelection other);

    /**
     * The devices a configured driver's match row takes. Two such rows overlap when one takes every device
     * the other takes: each key the first sets, the second sets to the same value.
     */
    static ConfigSelection driver(DeviceMatch row) {
        return new DriverRow(row);
    }

    /** A configured driver's row; see {@link ConfigSelection#driver(DeviceMatch)}. */
    record DriverRow(DeviceMatch row) implements ConfigSelection {
        public DriverRow {
            Objects.requireNonNull(row);
        }

        @Override
        public String describe() {
            return "driver " + row.driver() + ": " + row.describe() + " (score " + row.score() + ")";
        }

        @Override
        public boolean matches(UsbDeviceInfo device) {
            return row.matches(device);
        }

        @Override
        public boolean overlaps(ConfigSelection other) {
            return other instanceof DriverRow o && (covers(row, o.row) || covers(o.row, row));
        }

        /** Every device {@code b} takes, {@code a} takes too (as far as can be told without a device). */
        private static boolean covers(DeviceMatch a, DeviceMatch b) {
            return same(a.vendorId(), b.vendorId()) && same(a.productId(), b.productId())
                    && same(a.usbClass(), b.usbClass()) && same(a.subclass(), b.subclass())
                    && same(a.protocol(), b.protocol()) && same(a.manufacturer(), b.manufacturer())
                    && same(a.product(), b.product()) && same(a.serial(), b.serial()) && same(a.port(), b.port());
        }

        private static boolean same(int a, int b) {
            return a < 0 || a == b;
        }

        private static boolean same(String a, String b) {
            return a == null || a.equals(b);
        }
    }
}
