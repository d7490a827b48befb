package org.usblogd.api.usb.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of USB devices: the real bus through libusb, or the virtual bus of simulated devices. Several
 * backends run at the same time; the core registers itself as the listener of each.
 */
@ConsumerType
public interface UsbBackend {

    /** Short name shown in logs and in {@code usblogd devices}, e.g. "libusb" or "virtual". */
    String name();

    /**
     * Starts reporting: first every device already present, then arrivals and departures as they happen.
     * Called once per listener; callbacks may come from any thread.
     */
    void start(BackendListener listener);

    /** Stops reporting; devices already reported stay usable until their connections are closed. */
    void stop(BackendListener listener);
}
