package org.usblogd.api.usb;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A driver's only way to its device. The core opens the device before handing the link over and, on every
 * exit path, closes the driver's streams, releases what the driver claimed, re-attaches the kernel drivers
 * it detached and closes the device; a driver cannot leak a claimed interface. When a session ends because
 * its driver is swapped (a new version of its plugin), the core keeps the device open and claimed, and goes on
 * reading the bulk and interrupt IN endpoints the driver read, until the next driver's session takes the
 * device over (its first reads on those endpoints get what arrived meanwhile) or a grace period ends.
 *
 * <p>Transfers are synchronous and bounded by a timeout in milliseconds; the direction of bulk, interrupt
 * and isochronous transfers follows bit 7 of the endpoint address, the direction of control transfers bit 7
 * of bmRequestType. IN transfers fill {@code buffer} from index 0 and return how many bytes arrived. For
 * high-rate IN endpoints use {@link #openStream}, which keeps transfers in flight between reads.
 */
@ProviderType
public interface DeviceLink {

    UsbDeviceInfo info();

    DeviceIdentity identity();

    /**
     * Claims the interface, detaching the kernel driver bound to it first and selecting the configuration
     * when the device is unconfigured.
     */
    void claim(int interfaceNumber) throws UsbException;

    /** Selects an alternate setting of a claimed interface (e.g. one with isochronous bandwidth). */
    void setAlternateSetting(int interfaceNumber, int alternateSetting) throws UsbException;

    /** wLength is {@code length}; for OUT requests the first {@code length} bytes of data are sent. */
    int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException;

    int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;

    int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;

    /**
     * One isochronous transfer of {@code packetLengths.length} packets. Packet i occupies
     * {@code packetLengths[i]} bytes of {@code buffer}, after the packets before it; on return
     * {@code packetLengths[i]} holds the bytes actually transferred in packet i (IN packets may be short).
     *
     * @return the bytes transferred in all packets
     */
    int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException;

    /**
     * Starts reading an IN endpoint with {@code inFlight} transfers of {@code transferSize} bytes queued at
     * all times. For isochronous endpoints a transfer holds {@code transferSize / wMaxPacketSize} packets.
     */
    InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException;

    /** Clears the halt condition of an endpoint after a STALL, resetting its data toggle. */
    void clearHalt(int endpoint) throws UsbException;

    /**
     * Resets the device on the bus; claimed interfaces stay claimed. If the device comes back different
     * (descriptors changed) this fails with GONE and the core re-enumerates it.
     */
    void resetDevice() throws UsbException;

    /** What the user configured for this device; {@link DeviceSettings#NONE} when nothing. */
    default DeviceSettings settings() {
        return DeviceSettings.NONE;
    }
}
