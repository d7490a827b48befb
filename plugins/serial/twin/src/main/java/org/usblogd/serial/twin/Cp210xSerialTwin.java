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
 * A CP2102 adapter (10c4:ea60) on a 57600-baud weather station printing
 * {@code Temperature: 21.5 C, Pressure: 1013.2 hPa} lines; silent until IFC_ENABLE and SET_BAUDRATE.
 */
public final class Cp210xSerialTwin extends SerialTwin {
    private static final int OWN_BAUD = 57_600;
    private boolean enabled;

    public Cp210xSerialTwin(long periodNanos, long seed) {
        super(0x81, OWN_BAUD, periodNanos, n -> String.format(Locale.ROOT,
                "Temperature: %.1f C, Pressure: %.1f hPa\r\n", 18 + (n % 10) / 10.0, 1000 + (n % 5) / 10.0), seed);
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x10c4, 0xea60, 0x0100, 0, 0, 0, "Silicon Labs", "CP2102 USB to UART Bridge Controller",
                "0001", "-", 0, List.of(new UsbInterfaceInfo(0, 0, 0xff, 0, 0, List.of(
                        new UsbEndpointInfo(0x81, TransferType.BULK, 64, 0),
                        new UsbEndpointInfo(0x01, TransferType.BULK, 64, 0)))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "cp210x";
    }

    @Override
    protected synchronized boolean talking() {
        return enabled && hostBaud != 0;
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw stall("CP2102", setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() != 0x41) {
            throw stall("CP2102", setup);
        }
        switch (setup.request()) {
        case 0x00 -> enabled = setup.value() == 1;
        case 0x1E -> {
            if (data.length != 4) {
                throw stall("CP2102", setup);
            }
            hostBaud = (data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 24;
        }
        case 0x03 -> {
            // line control
        }
        case 0x07 -> {
            if ((setup.value() & 0x0100) != 0) {
                dtr = (setup.value() & 1) != 0;
            }
        }
        default -> throw stall("CP2102", setup);
        }
    }

    @Override
    public synchronized void reset() {
        super.reset();
        enabled = false;
    }
}
