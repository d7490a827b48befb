package org.usblogd.temper.twin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Twin of a PCsensor TEMPer (docs/devices.md §2): a boot keyboard on interface 0 and the data interface 1,
 * which takes 8-byte commands as output reports (SET_REPORT, wValue 0x0200, wIndex 1) and answers on
 * interrupt IN 0x82. Quirks as found in the field: the first sensor reply after the firmware query is
 * stale (0 °C), a unit may answer its first firmware query with only half the string, and a missing
 * second sensor reads 0x4E20.
 */
public final class TemperTwin implements DeviceModel {
    public enum Scale {
        /** V1.x FM75: raw = °C·256. */
        FM75(256),
        /** V3.x/V4.x: raw = °C·100 (and %RH·100). */
        CENTI(100);

        final int factor;

        Scale(int factor) {
            this.factor = factor;
        }
    }

    public enum Second {
        NONE, HUMIDITY, PROBE, MISSING
    }

    public static final int ENDPOINT = 0x82;
    private static final int NO_SENSOR = 0x4E20;

    private final int vendorId;
    private final int productId;
    private final String firmware;
    private final Scale scale;
    private final Second second;
    private final boolean shortFirstFirmware;
    private final Random random;
    private final Queue<byte[]> replies = new ArrayDeque<>();
    private boolean firmwareAsked;
    private boolean staleReplyDue;
    private double temperature = 21.5;
    private double humidity = 45.0;
    private long sensorReads;

    public TemperTwin(int vendorId, int productId, String firmware, Scale scale, Second second,
            boolean shortFirstFirmware, long seed) {
        this.vendorId = vendorId;
        this.productId = productId;
        this.firmware = firmware;
        this.scale = scale;
        this.second = second;
        this.shortFirstFirmware = shortFirstFirmware;
        this.random = new Random(seed);
    }

    /** TEMPerGold_V3.1 on 413d:2107: one internal sensor. */
    public static TemperTwin gold(long seed) {
        return new TemperTwin(0x413d, 0x2107, "TEMPerGold_V3.1 ", Scale.CENTI, Second.NONE, false, seed);
    }

    /** TEMPerHUM_V3.8 on 1a86:e025: temperature and humidity, both ×100. */
    public static TemperTwin hum(long seed) {
        return new TemperTwin(0x1a86, 0xe025, "TEMPerHUM_V3.8  ", Scale.CENTI, Second.HUMIDITY, false, seed);
    }

    /** TEMPer2_V1.3 on 0c45:7401: two FM75 probes (÷256), and a short first firmware reply. */
    public static TemperTwin twoProbes(long seed) {
        return new TemperTwin(0x0c45, 0x7401, "TEMPer2_V1.3    ", Scale.FM75, Second.PROBE, true, seed);
    }

    /** The reply to "read sensors" for these values. */
    public static byte[] sensorReply(Scale scale, double temperature, Second second, double secondValue) {
        int t = (int) Math.round(temperature * scale.factor);
        int s = switch (second) {
        case NONE -> 0;
        case MISSING -> NO_SENSOR;
        case HUMIDITY -> (int) Math.round(secondValue * 100);
        case PROBE -> (int) Math.round(secondValue * scale.factor);
        };
        return new byte[] { (byte) 0x80, 0x02, (byte) (t >> 8), (byte) t, (byte) (s >> 8), (byte) s, 0, 0 };
    }

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo keyboard = new UsbInterfaceInfo(0, 0, 3, 1, 1,
                List.of(new UsbEndpointInfo(0x81, TransferType.INTERRUPT, 8, 10)));
        UsbInterfaceInfo data = new UsbInterfaceInfo(1, 0, 3, 0, 0,
                List.of(new UsbEndpointInfo(ENDPOINT, TransferType.INTERRUPT, 8, 10)));
        return new UsbDeviceInfo(vendorId, productId, 0x0001, 0, 0, 0, "PCsensor", "TEMPer", null, "-", 0,
                List.of(keyboard, data));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "usbhid";
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "TEMPer stalls " + setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x0A) {
            return; // HID SET_IDLE
        }
        if (setup.requestType() != 0x21 || setup.request() != 0x09 || setup.value() != 0x0200 || setup.index() != 1
                || data.length != 8) {
            throw new UsbException(UsbException.Kind.STALL, "TEMPer stalls " + setup);
        }
        if (data[0] == 0x01 && (data[1] & 0xFF) == 0x86) {
            byte[] text = Arrays.copyOf(firmware.getBytes(StandardCharsets.US_ASCII), 16);
            replies.add(Arrays.copyOfRange(text, 0, 8));
            if (!(shortFirstFirmware && !firmwareAsked)) {
                replies.add(Arrays.copyOfRange(text, 8, 16));
            }
            firmwareAsked = true;
            staleReplyDue = true;
        } else if (data[0] == 0x01 && (data[1] & 0xFF) == 0x80 && data[2] == 0x33) {
            sensorReads++;
            if (staleReplyDue) {
                staleReplyDue = false;
                replies.add(sensorReply(scale, 0, Second.NONE, 0));
                return;
            }
            temperature = Math.max(15, Math.min(30, temperature + (random.nextInt(21) - 10) / 100.0));
            humidity = Math.max(20, Math.min(80, humidity + (random.nextInt(21) - 10) / 50.0));
            replies.add(sensorReply(scale, temperature, second,
                    second == Second.PROBE ? temperature + 0.3 : humidity));
        }
        // other commands are acknowledged without a reply, as the device does
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        return endpoint == ENDPOINT ? replies.poll() : null;
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return endpoint == ENDPOINT && !replies.isEmpty() ? nowNanos : Long.MAX_VALUE;
    }

    @Override
    public synchronized void reset() {
        replies.clear();
        staleReplyDue = false;
    }

    public synchronized long sensorReads() {
        return sensorReads;
    }
}
