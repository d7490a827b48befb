package org.usblogd.serial;

import java.util.Locale;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;

/** Baud rate, framing and modem lines as the user configured them; checked before any device is touched. */
record LineSettings(int baud, int dataBits, Parity parity, StopBits stopBits, boolean dtr, boolean rts) {

    enum Parity {
        NONE, ODD, EVEN, MARK, SPACE
    }

    enum StopBits {
        ONE, ONE_AND_HALF, TWO
    }

    /** The 1200-baud touch: Arduino and Raspberry Pi Pico boards reboot into their bootloader. */
    static final int BOOTLOADER_TOUCH = 1200;

    LineSettings {
        if (baud == BOOTLOADER_TOUCH) {
            throw new IllegalArgumentException("baud = 1200 is refused: opening an Arduino or Raspberry Pi Pico at"
                    + " 1200 baud reboots it into its bootloader (the \"1200-baud touch\"); pick another rate");
        }
        if (baud < 50 || baud > 12_000_000) {
            throw new IllegalArgumentException("baud = " + baud + " is not a serial line rate");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("data.bits = " + dataBits + ": 5, 6, 7 or 8");
        }
    }

    static LineSettings parse(Map<String, ?> p) {
        int baud = integer(p, "baud", "115200");
        int bits = integer(p, "data.bits", "8");
        String parity = text(p, "parity", "none");
        Parity par;
        try {
            par = Parity.valueOf(parity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parity = " + parity + ": none, odd, even, mark or space");
        }
        String stop = text(p, "stop.bits", "1");
        StopBits sb = switch (stop) {
        case "1" -> StopBits.ONE;
        case "1.5" -> StopBits.ONE_AND_HALF;
        case "2" -> StopBits.TWO;
        default -> throw new IllegalArgumentException("stop.bits = " + stop + ": 1, 1.5 or 2");
        };
        return new LineSettings(baud, bits, par, sb, bool(p, "dtr"), bool(p, "rts"));
    }

    /** true or false, and nothing else: "dtr = yes" once opened a board silently without DTR. */
    private static boolean bool(Map<String, ?> p, String key) {
        String v = text(p, key, "true");
        Boolean b = ConfigCheck.strictBoolean(v);
        if (b == null) {
            throw new IllegalArgumentException(key + " = " + v + ": true or false");
        }
        return b;
    }

    private static String text(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
    }

    private static int integer(Map<String, ?> p, String key, String fallback) {
        String v = text(p, key, fallback);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = " + v + " is not a whole number");
        }
    }

    @Override
    public String toString() {
        return baud + " " + dataBits + parity.name().charAt(0)
                + (stopBits == StopBits.ONE ? "1" : stopBits == StopBits.TWO ? "2" : "1.5")
                + (dtr ? " DTR" : "") + (rts ? " RTS" : "");
    }
}
