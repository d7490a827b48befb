package org.usblogd.sim.host;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * What the host's USB stack keeps for one attached simulated device, apart from the model itself: which
 * interfaces this host and others have claimed, which kernel driver is bound to each interface, which
 * endpoints are halted, the active configuration and each interface's alternate setting. The virtual bus
 * and the umockdev harness (which answers libusb's usbdevfs ioctls) both keep it here, so a driver meets
 * the same rules on either: an interface a kernel driver holds cannot be claimed, a bulk or interrupt
 * endpoint that stalled stays halted until the host clears it, a reset clears halts and alternate settings.
 *
 * <p>Not thread-safe: each transport calls it under the lock it calls the model under.
 */
public final class HostDeviceState {
    private final UsbDeviceInfo info;
    private final DeviceModel model;
    private final Set<Integer> claimed = new HashSet<>();
    private final Set<Integer> claimedElsewhere = new HashSet<>();
    private final Map<Integer, String> kernelDrivers = new HashMap<>();
    private final Set<Integer> halted = new HashSet<>();
    private final Map<Integer, Integer> alternates = new HashMap<>();
    private int configuration;
    private int resets;

    /** As the device is right after it is plugged in: the model's kernel drivers bound, nothing claimed. */
    public HostDeviceState(UsbDeviceInfo info, DeviceModel model) {
        this.info = info;
        this.model = model;
        this.configuration = info.activeConfiguration();
        info.interfaces().stream().mapToInt(UsbInterfaceInfo::number).distinct().forEach(i -> {
            String driver = model.kernelDriver(i);
            if (driver != null) {
                kernelDrivers.put(i, driver);
            }
        });
    }

    public void claim(int iface) throws UsbException {
        if (claimedElsewhere.contains(iface)) {
            throw new UsbException(Kind.BUSY, "interface " + iface + " of " + info + " is claimed by another program");
        }
        if (kernelDrivers.containsKey(iface)) {
            throw new UsbException(Kind.BUSY, "interface " + iface + " of " + info + " is claimed by kernel driver "
                    + kernelDrivers.get(iface));
        }
        if (!hasInterface(iface)) {
            throw new UsbException(Kind.OTHER, "device " + info + " has no interface " + iface);
        }
        claimed.add(iface);
    }

    /** @return false when the interface was not claimed (the kernel says EINVAL) */
    public boolean release(int iface) {
        return claimed.remove(iface);
    }

    public boolean claimed(int iface) {
        return claimed.contains(iface);
    }

    public Set<Integer> claimedInterfaces() {
        return Set.copyOf(claimed);
    }

    /** Another program holds the interface: claiming it fails with BUSY. */
    public void claimElsewhere(int iface) {
        claimedElsewhere.add(iface);
    }

    /** The kernel driver bound to the interface now, or null. */
    public String kernelDriver(int iface) {
        return kernelDrivers.get(iface);
    }

    /** @return false when no kernel driver was bound */
    public boolean detachKernelDriver(int iface) {
        return kernelDrivers.remove(iface) != null;
    }

    /**
     * Binds the model's kernel driver to the interface again, as the kernel does when the host gives it back.
     *
     * @return whether a driver was bound (the model may have none for the interface)
     */
    public boolean attachKernelDriver(int iface) throws UsbException {
        if (claimed.contains(iface) || kernelDrivers.containsKey(iface)) {
            throw new UsbException(Kind.BUSY, "interface " + iface + " of " + info + " is still claimed");
        }
        String driver = model.kernelDriver(iface);
        if (driver == null) {
            return false;
        }
        kernelDrivers.put(iface, driver);
        return true;
    }

    /** Fails with the kernel's complaint when the endpoint's interface is not claimed or does not exist. */
    public void requireClaimedFor(int endpoint) throws UsbException {
        for (UsbInterfaceInfo i : info.interfaces()) {
            if (i.endpoints().stream().anyMatch(e -> e.address() == endpoint)) {
                if (!claimed.contains(i.number())) {
                    throw new UsbException(Kind.OTHER, "endpoint 0x" + Integer.toHexString(endpoint)
                            + " belongs to interface " + i.number() + ", which is not claimed");
                }
                return;
            }
        }
        throw new UsbException(Kind.OTHER, "device " + info + " has no endpoint 0x" + Integer.toHexString(endpoint));
    }

    /** The device halts an endpoint, as it does on a protocol error: transfers on it fail until the host clears it. */
    public void halt(int endpoint) {
        halted.add(endpoint);
    }

    public boolean halted(int endpoint) {
        return halted.contains(endpoint);
    }

    /** Fails with STALL while the endpoint is halted. */
    public void requireNotHalted(int endpoint) throws UsbException {
        if (halted.contains(endpoint)) {
            throw new UsbException(Kind.STALL, "endpoint 0x" + Integer.toHexString(endpoint) + " of " + info
                    + " is halted; clear the halt first");
        }
    }

    /**
     * A bulk or interrupt transfer the model refused with STALL leaves its endpoint halted, as on real hardware;
     * a control request's STALL refuses that one request only (endpoint 0 never stays halted).
     */
    public void failed(int endpoint, UsbException e) {
        if (e.kind() == Kind.STALL && (endpoint & 0x7F) != 0) {
            halted.add(endpoint);
        }
    }

    public void clearHalt(int endpoint) {
        halted.remove(endpoint);
    }

    public void setAlternate(int iface, int alternate) throws UsbException {
        boolean exists = info.interfaces().stream().anyMatch(i -> i.number() == iface && i.alternate() == alternate);
        if (!exists) {
            throw new UsbException(Kind.OTHER, "interface " + iface + " has no alternate setting " + alternate);
        }
        if (!claimed.contains(iface)) {
            throw new UsbException(Kind.OTHER, "interface " + iface + " is not claimed");
        }
        alternates.put(iface, alternate);
    }

    public int alternate(int iface) {
        return alternates.getOrDefault(iface, 0);
    }

    public void setConfiguration(int value) {
        configuration = value;
    }

    public int configuration() {
        return configuration;
    }

    /** A port reset: halts and alternate settings are gone, the model forgets its session; claims stay. */
    public void reset() {
        resets++;
        halted.clear();
        alternates.clear();
        model.reset();
    }

    public int resets() {
        return resets;
    }

    /** The cable is pulled: this host's claims end with it. */
    public void unplugged() {
        claimed.clear();
    }

    private boolean hasInterface(int iface) {
        return info.interfaces().stream().anyMatch(i -> i.number() == iface);
    }
}
