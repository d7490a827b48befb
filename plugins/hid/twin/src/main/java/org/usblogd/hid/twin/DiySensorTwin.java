package org.usblogd.hid.twin;

import org.usblogd.api.sim.Cadence;
import java.util.List;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A home-made HID weather sensor (1209:c0de), the kind the generic HID logger is for: every period an
 * 8-byte input report on interrupt IN 0x81, report ID 1 with the temperature (int16 little-endian,
 * 0.01 °C), the pressure (uint16 big-endian, 0.1 hPa) and the battery (%), and every tenth report a
 * status report with ID 2 that carries none of them.
 */
public final class DiySensorTwin implements DeviceModel {
    public static final int ENDPOINT = 0x81;

    private final Random random;
    private final Cadence cadence;
    private long reports;
    private int centiCelsius = 2150;
    private int deciHectopascal = 10132;

    public DiySensorTwin(long periodNanos, long seed) {
        this.cadence = new Cadence(periodNanos);
        this.random = new Random(seed);
    }

    public static byte[] report(double celsius, double hectopascal, int battery) {
        int t = (int) Math.round(celsius * 100);
        int p = (int) Math.round(hectopascal * 10);
        return new byte[] { 1, (byte) t, (byte) (t >> 8), (byte) (p >> 8), (byte) p, (byte) battery, 0, 0 };
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x1209, 0xc0de, 0x0100, 0, 0, 0, "usblogd", "DIY weather sensor", "WX-0001", "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 3, 0, 0,
                        List.of(new UsbEndpointInfo(ENDPOINT, TransferType.INTERRUPT, 8, 10)))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "usbhid";
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "sensor stalls " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x0A) {
            return;
        }
        throw new UsbException(UsbException.Kind.STALL, "sensor stalls " + setup);
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT) {
            return null;
        }
        if (!cadence.due(nowNanos)) {
            return null;
        }
        if (++reports % 10 == 0) {
            return new byte[] { 2, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };
        }
        centiCelsius = Math.max(-1000, Math.min(3500, centiCelsius + random.nextInt(21) - 10));
        deciHectopascal = Math.max(9500, Math.min(10500, deciHectopascal + random.nextInt(5) - 2));
        return report(centiCelsius / 100.0, deciHectopascal / 10.0, 87);
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return endpoint != ENDPOINT ? Long.MAX_VALUE : cadence.next(nowNanos);
    }
}
