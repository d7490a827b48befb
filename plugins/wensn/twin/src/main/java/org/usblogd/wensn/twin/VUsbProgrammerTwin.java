package org.usblogd.wensn.twin;

import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A USBasp AVR programmer: the other device on V-USB's shared 16c0:05dc. No logger driver may take it, so
 * it shows that matching on strings works. It answers nothing.
 */
public final class VUsbProgrammerTwin implements DeviceModel {

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x16c0, 0x05dc, 0x0104, 0, 0, 0, "www.fischl.de", "USBasp", null, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xff, 0, 0, List.of())));
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "USBasp stalls " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "USBasp stalls " + setup);
    }

    @Override
    public byte[] in(int endpoint, long nowNanos) {
        return null;
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return Long.MAX_VALUE;
    }
}
