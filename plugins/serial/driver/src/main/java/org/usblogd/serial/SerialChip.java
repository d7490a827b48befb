package org.usblogd.serial;

import java.util.Optional;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/** A USB serial chip: how to set its line up and how to get the received bytes out of its bulk packets. */
interface SerialChip {

    String name();

    /** Claims what it needs, sets baud rate, framing and modem lines. */
    void open(DeviceLink link, LineSettings settings) throws UsbException;

    /** Reads one transfer; received bytes are put at the start of {@code into}; returns how many. */
    int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException;

    /** The chip of a device: by its IDs, else CDC-ACM by its interfaces; {@code configured} overrides. */
    static Optional<SerialChip> of(UsbDeviceInfo d, String configured) {
        String vp = d.vidPid();
        String kind = configured == null || configured.isBlank() || configured.equals("auto")
                ? switch (vp) {
                case "0403:6001", "0403:6010", "0403:6014", "0403:6015" -> "ftdi";
                case "1a86:7523", "1a86:5523" -> "ch340";
                case "10c4:ea60", "10c4:ea70" -> "cp210x";
                default -> d.interfaces().stream().anyMatch(i -> i.interfaceClass() == 2 && i.interfaceSubClass() == 2)
                        ? "cdc-acm" : "";
                }
                : configured.strip();
        return switch (kind) {
        case "ftdi" -> Optional.of(new FtdiChip());
        case "ch340" -> Optional.of(new Ch340Chip());
        case "cp210x" -> Optional.of(new Cp210xChip());
        case "cdc-acm" -> Optional.of(new CdcAcmChip());
        default -> Optional.empty();
        };
    }

    static UsbEndpointInfo bulk(UsbInterfaceInfo i, boolean in) throws UsbException {
        return i.endpoints().stream().filter(e -> e.isIn() == in && e.type() == TransferType.BULK).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "interface " + i.number()
                        + " has no bulk " + (in ? "IN" : "OUT") + " endpoint"));
    }

    static UsbInterfaceInfo firstInterface(DeviceLink link) throws UsbException {
        return link.info().interfaces().stream().filter(i -> i.number() == 0).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "no interface 0"));
    }

    static void out(DeviceLink link, int requestType, int request, int value, int index) throws UsbException {
        link.control(requestType, request, value, index, new byte[0], 0, 1_000);
    }
}
