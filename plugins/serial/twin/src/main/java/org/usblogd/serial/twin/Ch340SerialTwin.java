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
 * A CH340 adapter (1a86:7523) on a 115200-baud board printing {@code temp=21.5;rh=40.1;lux=312} lines.
 * The rate comes from its registers 0x1312 (prescaler, divisor high byte) and 0x0f2c (divisor low byte);
 * bulk IN 0x82 carries plain data.
 */
public final class Ch340SerialTwin extends SerialTwin {
    private static final int OWN_BAUD = 115_200;
    private int reg1312 = -1;
    private int reg0f2c = -1;

    public Ch340SerialTwin(long periodNanos, long seed) {
        super(0x82, OWN_BAUD, periodNanos, n -> String.format(Locale.ROOT, "temp=%.1f;rh=%.1f;lux=%d\r\n",
                19 + (n % 10) / 10.0, 50 + (n % 7) / 10.0, 300 + n % 20), seed);
    }

    /** The rate the two registers encode. */
    public static int baud(int reg1312, int reg0f2c) {
        int divisor = reg1312 & 0x07;
        long factor = 0x10000 - ((reg1312 & 0xff00) | (reg0f2c & 0xff));
        return factor <= 0 ? 0 : (int) Math.round(1_532_620_800.0 / (factor << 3 * (3 - Math.min(3, divisor))));
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x1a86, 0x7523, 0x0264, 0xff, 0, 0, null, "USB Serial", null, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xff, 0x01, 0x02, List.of(
                        new UsbEndpointInfo(0x82, TransferType.BULK, 32, 0),
                        new UsbEndpointInfo(0x02, TransferType.BULK, 32, 0),
                        new UsbEndpointInfo(0x81, TransferType.INTERRUPT, 8, 1)))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "ch341";
    }

    @Override
    protected synchronized boolean talking() {
        return hostBaud != 0;
    }

    @Override
    protected int maxPayload() {
        return 32;
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() == 0xC0 && setup.request() == 0x5F) {
            return new byte[] { 0x31, 0x00 };
        }
        throw stall("CH340", setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() != 0x40) {
            throw stall("CH340", setup);
        }
        switch (setup.request()) {
        case 0xA1 -> {
            // serial init
        }
        case 0x9A -> {
            if (setup.value() == 0x1312) {
                reg1312 = setup.index();
            } else if (setup.value() == 0x0f2c) {
                reg0f2c = setup.index();
            }
            if (reg1312 >= 0 && reg0f2c >= 0) {
                int asked = baud(reg1312, reg0f2c);
                hostBaud = Math.abs(asked - OWN_BAUD) <= OWN_BAUD * 0.03 ? OWN_BAUD : asked;
            }
        }
        case 0xA4 -> dtr = (~setup.value() & 0x20) != 0;
        default -> throw stall("CH340", setup);
        }
    }
}
