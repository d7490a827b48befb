package org.usblogd.audio;

import java.io.ByteArrayOutputStream;

import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A configuration descriptor put back together from the core's description of it: each interface, its
 * class-specific descriptors, its endpoints and theirs, in the order the device sent them. What the
 * descriptor parser needs without asking the device again; string indexes and the endpoints' audio
 * bRefresh/bSynchAddress bytes are not kept by the core and are left 0.
 */
final class ConfigurationBytes {

    private ConfigurationBytes() {
    }

    /** Whether the description carries class-specific descriptors at all (backends before API 1.3 drop them). */
    static boolean hasClassDescriptors(UsbConfigurationInfo config) {
        for (UsbInterfaceInfo i : config.interfaces()) {
            if (i.extra().length > 0) {
                return true;
            }
        }
        return false;
    }

    static byte[] of(UsbConfigurationInfo config) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (UsbInterfaceInfo i : config.interfaces()) {
            body.writeBytes(new byte[] { 9, 0x04, (byte) i.number(), (byte) i.alternate(), (byte) i.endpoints().size(),
                    (byte) i.interfaceClass(), (byte) i.interfaceSubClass(), (byte) i.interfaceProtocol(), 0 });
            body.writeBytes(i.extra());
            for (UsbEndpointInfo e : i.endpoints()) {
                int attributes = e.type().ordinal();
                body.writeBytes(new byte[] { 7, 0x05, (byte) e.address(), (byte) attributes, (byte) e.maxPacketSize(),
                        (byte) (e.maxPacketSize() >> 8), (byte) e.interval() });
                body.writeBytes(e.extra());
            }
        }
        int total = Math.min(0xFFFF, 9 + body.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { 9, 0x02, (byte) total, (byte) (total >> 8), (byte) config.interfaceCount(),
                (byte) config.value(), 0, (byte) config.attributes(), (byte) (config.maxPowerMilliamps() / 2) });
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
