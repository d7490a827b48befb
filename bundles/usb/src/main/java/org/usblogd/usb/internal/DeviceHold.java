package org.usblogd.usb.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * What the core has taken of one open device: the connection, the interfaces claimed on it and the kernel
 * drivers detached from them, and the one way to give all of it back. A session's link holds it, and between
 * two sessions of a swapped driver the swap bridge does; whoever holds it last gives it back.
 */
final class DeviceHold {
    private static final Logger log = LoggerFactory.getLogger(DeviceHold.class);

    private final UsbDeviceInfo info;
    private final DeviceIdentity identity;
    private final DeviceConnection connection;
    private final Set<Integer> claimed = new LinkedHashSet<>();
    private final Set<Integer> detached = new LinkedHashSet<>();
    private boolean released;

    DeviceHold(UsbDeviceInfo info, DeviceIdentity identity, DeviceConnection connection) {
        this.info = info;
        this.identity = identity;
        this.connection = connection;
    }

    DeviceConnection connection() {
        return connection;
    }

    DeviceIdentity identity() {
        return identity;
    }

    /** Claims the interface, detaching its kernel driver first and configuring an unconfigured device. */
    synchronized void claim(int interfaceNumber) throws UsbException {
        if (released) {
            throw new UsbException(UsbException.Kind.CLOSED, "the connection to " + identity + " was given back");
        }
        if (claimed.contains(interfaceNumber)) {
            return;
        }
        if (claimed.isEmpty() && connection.activeConfiguration() == 0) {
            // An unconfigured device (no driver ever configured it) has no interfaces to claim yet.
            connection.setConfiguration(info.configuration().map(c -> c.value()).orElse(1));
        }
        if (connection.kernelDriverActive(interfaceNumber)) {
            connection.detachKernelDriver(interfaceNumber);
            detached.add(interfaceNumber);
        }
        connection.claimInterface(interfaceNumber);
        claimed.add(interfaceNumber);
    }

    synchronized boolean claimed(int interfaceNumber) {
        return claimed.contains(interfaceNumber);
    }

    synchronized Set<Integer> claimed() {
        return Set.copyOf(claimed);
    }

    /**
     * Releases every claimed interface, gives detached interfaces back to their kernel drivers and closes the
     * device. Never throws: after an unplug each step fails with GONE, which is expected. Idempotent.
     */
    synchronized void releaseAndClose() {
        if (released) {
            return;
        }
        released = true;
        List<String> problems = new ArrayList<>();
        for (int i : claimed) {
            try {
                connection.releaseInterface(i);
            } catch (UsbException e) {
                problems.add("release interface " + i + ": " + e.getMessage());
            }
        }
        claimed.clear();
        for (int i : detached) {
            try {
                connection.attachKernelDriver(i);
            } catch (UsbException e) {
                problems.add("re-attach kernel driver of interface " + i + ": " + e.getMessage());
            }
        }
        detached.clear();
        connection.close();
        if (!problems.isEmpty()) {
            log.debug("{}: while releasing: {}", identity, problems);
        }
    }
}
