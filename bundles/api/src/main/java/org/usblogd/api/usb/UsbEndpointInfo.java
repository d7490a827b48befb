package org.usblogd.api.usb;

import java.util.Arrays;

/**
 * One endpoint of an interface's alternate setting.
 *
 * @param address bEndpointAddress; bit 7 set means IN
 * @param type transfer type
 * @param maxPacketSize wMaxPacketSize as the descriptor has it, bits 11..12 (additional transactions per
 *        microframe of a high-bandwidth endpoint) included
 * @param interval bInterval
 * @param extra the descriptors that follow the endpoint descriptor up to the next standard one (class
 *        specific endpoint descriptors such as an audio class's CS_ENDPOINT), verbatim; empty when none.
 *        Copied in and out: the record stays immutable.
 */
public record UsbEndpointInfo(int address, TransferType type, int maxPacketSize, int interval, byte[] extra) {

    /** @since 1.3 */
    public UsbEndpointInfo {
        extra = extra == null ? new byte[0] : extra.clone();
    }

    /** An endpoint without class-specific descriptors. */
    public UsbEndpointInfo(int address, TransferType type, int maxPacketSize, int interval) {
        this(address, type, maxPacketSize, interval, new byte[0]);
    }

    public boolean isIn() {
        return (address & 0x80) != 0;
    }

    /** @since 1.3 */
    @Override
    public byte[] extra() {
        return extra.clone();
    }

    /** Bytes of one transaction: bits 0..10 of wMaxPacketSize. @since 1.3 */
    public int packetSize() {
        return maxPacketSize & 0x7FF;
    }

    /**
     * Transactions per (micro)frame: 1, or up to 3 for a high-bandwidth isochronous or interrupt endpoint
     * (bits 11..12 of wMaxPacketSize; the reserved value 3 read as 2 additional ones). @since 1.3
     */
    public int transactions() {
        return 1 + Math.min(2, (maxPacketSize >> 11) & 0x3);
    }

    /** Bytes the endpoint may move per service interval: what one isochronous packet can hold. @since 1.3 */
    public int bytesPerInterval() {
        return packetSize() * transactions();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsbEndpointInfo e && e.address == address && e.type == type
                && e.maxPacketSize == maxPacketSize && e.interval == interval && Arrays.equals(e.extra, extra);
    }

    @Override
    public int hashCode() {
        return ((address * 31 + type.hashCode()) * 31 + maxPacketSize) * 31 + interval * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "UsbEndpointInfo[address=0x" + Integer.toHexString(address) + ", type=" + type + ", maxPacketSize="
                + maxPacketSize + ", interval=" + interval + ", extra=" + extra.length + " bytes]";
    }
}
