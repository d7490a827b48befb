package org.usblogd.audio;

import java.util.ArrayList;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceAssociation;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;

/**
 * A high-speed UAC2 measurement microphone, as {@link UacSamples#uac2Microphone} describes it: clock source
 * 0x10 (internal, programmable, 44.1 and 48 kHz) behind clock selector 0x11, alternate 1 mono 16 bit on
 * isochronous IN 0x81, a packet every 125 µs microframe. It hears a 1 kHz sine of {@code dbfs}; it keeps
 * the rate requests it was sent.
 */
final class Uac2MicrophoneModel implements DeviceModel {
    static final int CLOCK = 0x10;
    private final double amplitude;
    final List<String> requests = new ArrayList<>();
    private int rate = 44_100;
    private long frame;

    Uac2MicrophoneModel(double dbfs) {
        this.amplitude = Math.pow(10, dbfs / 20);
    }

    private static byte[] d(int... v) {
        return UacSamples.d(v);
    }

    @Override
    public UsbDeviceInfo info() {
        byte[] control = UacSamples.concat(d(9, 0x24, 0x01, 0x00, 0x02, 0x03, 0x40, 0x00, 0x00),
                d(8, 0x24, 0x0A, CLOCK, 0x03, 0x07, 0, 0), d(8, 0x24, 0x0B, 0x11, 1, CLOCK, 0x03, 0),
                d(17, 0x24, 0x02, 1, 0x01, 0x02, 0, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0),
                d(14, 0x24, 0x06, 2, 1, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0), d(12, 0x24, 0x03, 3, 0x01, 0x01, 0, 2, 0x11, 0, 0, 0));
        byte[] streaming = UacSamples.concat(d(16, 0x24, 0x01, 3, 0, 0x01, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0),
                d(6, 0x24, 0x02, 0x01, 2, 16));
        List<UsbInterfaceInfo> interfaces = List.of(new UsbInterfaceInfo(0, 0, 0x01, 0x01, 0x20, List.of(), null, control),
                new UsbInterfaceInfo(1, 0, 0x01, 0x02, 0x20, List.of(), null),
                new UsbInterfaceInfo(1, 1, 0x01, 0x02, 0x20, List.of(new UsbEndpointInfo(0x81,
                        TransferType.ISOCHRONOUS, 16, 1, d(8, 0x25, 0x01, 0, 0, 0, 0, 0))), null, streaming));
        return new UsbDeviceInfo(0x1209, 0xa0a2, 0x0100, 0xEF, 0x02, 0x01, "usblogd tests", "UAC2 microphone",
                "UAC2-1", "-", 0, List.of(new UsbConfigurationInfo(1, null, 0x80, 100, interfaces,
                        List.of(new UsbInterfaceAssociation(0, 2, 0x01, 0x00, 0x20, null)))), 1, UsbSpeed.HIGH);
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "snd-usb-audio";
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup s) throws UsbException {
        requests.add("in " + s);
        if (s.requestType() == 0xA1 && s.value() == 0x0100 && s.index() == (CLOCK << 8)) {
            if (s.request() == 0x02) { // RANGE: 44.1 kHz and 48 kHz
                return d(2, 0, 0x44, 0xAC, 0, 0, 0x44, 0xAC, 0, 0, 0, 0, 0, 0, 0x80, 0xBB, 0, 0, 0x80, 0xBB, 0, 0, 0,
                        0, 0, 0);
            }
            if (s.request() == 0x01) {
                return d(rate, rate >> 8, rate >> 16, rate >>> 24);
            }
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + s);
    }

    @Override
    public synchronized void controlOut(ControlSetup s, byte[] data) throws UsbException {
        requests.add("out " + s);
        if (s.requestType() == 0x21 && s.request() == 0x01 && s.value() == 0x0100 && s.index() == (CLOCK << 8)
                && data.length == 4) {
            rate = (data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 24;
            return;
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + s);
    }

    /** A microframe's frames: 6 at 48 kHz, the rate the driver asks for first. */
    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        int frames = rate / 8000;
        byte[] packet = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            double t = (double) frame++ / rate;
            short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * 1000 * t) * 32768);
            packet[2 * i] = (byte) v;
            packet[2 * i + 1] = (byte) (v >> 8);
        }
        return packet;
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return Long.MAX_VALUE;
    }
}
