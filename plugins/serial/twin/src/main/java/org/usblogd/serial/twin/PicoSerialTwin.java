package org.usblogd.serial.twin;

import java.util.List;
import java.util.Locale;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A Raspberry Pi Pico (2e8a:000a) running a sensor sketch over USB CDC-ACM (docs/devices.md §4): prints
 * {@code T=21.50 H=45.2 P=1013.2} lines, but only while the host holds DTR (as pico_stdio_usb does); every
 * 25th line is a 300-character debug dump. Line coding at 1200 baud is the bootloader touch: the board
 * reboots into its bootloader and never prints again.
 */
public final class PicoSerialTwin extends SerialTwin {
    private byte[] lineCoding = { 0, (byte) 0xC2, 1, 0, 0, 0, 8 };
    private boolean inBootloader;

    public PicoSerialTwin(long periodNanos, long seed) {
        super(0x82, 0, periodNanos, n -> n % 25 == 24 ? "debug " + "x".repeat(300) + "\r\n"
                : String.format(Locale.ROOT, "T=%.2f H=%.1f P=%.1f\r\n", 21 + (n % 10) / 10.0, 45 + (n % 7) / 10.0,
                        1013 + (n % 5) / 10.0), seed);
    }

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo comm = new UsbInterfaceInfo(0, 0, 0x02, 0x02, 0x00,
                List.of(new UsbEndpointInfo(0x81, TransferType.INTERRUPT, 8, 16)));
        UsbInterfaceInfo data = new UsbInterfaceInfo(1, 0, 0x0a, 0, 0, List.of(
                new UsbEndpointInfo(0x82, TransferType.BULK, 64, 0), new UsbEndpointInfo(0x02, TransferType.BULK, 64, 0)));
        return new UsbDeviceInfo(0x2e8a, 0x000a, 0x0100, 0xEF, 0x02, 0x01, "Raspberry Pi", "Pico", "E6614C311B7A2F2B",
                "-", 0, List.of(comm, data));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "cdc_acm";
    }

    @Override
    protected synchronized boolean talking() {
        return dtr && !inBootloader;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() == 0xA1 && setup.request() == 0x21) {
            return lineCoding.clone();
        }
        throw stall("Pico", setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x20 && data.length == 7) {
            lineCoding = data.clone();
            hostBaud = (data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 24;
            if (hostBaud == 1200) {
                inBootloader = true;
            }
            return;
        }
        if (setup.requestType() == 0x21 && setup.request() == 0x22) {
            dtr = (setup.value() & 1) != 0;
            return;
        }
        throw stall("Pico", setup);
    }

    public synchronized boolean inBootloader() {
        return inBootloader;
    }
}
