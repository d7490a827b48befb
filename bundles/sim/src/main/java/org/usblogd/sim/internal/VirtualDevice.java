package org.usblogd.sim.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * A model in a port: the device's host-visible state (plugged, claimed interfaces, bound kernel drivers)
 * and the one lock under which the model is called, so models need no locking of their own.
 */
final class VirtualDevice implements PluggedDevice, BackendDevice {
    private final VirtualBusBackend bus;
    private final DeviceModel model;
    private final String portPath;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the host acts or the device changes state, to wake waiting IN transfers. */
    final Condition changed = lock.newCondition();

    private volatile UsbDeviceInfo info;
    private volatile boolean plugged;
    private final Set<Integer> claimed = new HashSet<>();
    private final Map<Integer, String> kernelDrivers = new HashMap<>();
    private final Set<VirtualConnection> connections = new HashSet<>();

    VirtualDevice(VirtualBusBackend bus, DeviceModel model, String portPath) {
        this.bus = bus;
        this.model = model;
        this.portPath = portPath;
        this.info = model.info().at(portPath, 0);
    }

    void connect(int address) {
        lock.lock();
        try {
            info = model.info().at(portPath, address);
            claimed.clear();
            kernelDrivers.clear();
            for (UsbInterfaceInfo i : info.interfaces()) {
                String k = model.kernelDriver(i.number());
                if (k != null) {
                    kernelDrivers.put(i.number(), k);
                }
            }
            model.reset();
            plugged = true;
        } finally {
            lock.unlock();
        }
        bus.announceArrival(this);
    }

    @Override
    public UsbDeviceInfo info() {
        return info;
    }

    @Override
    public DeviceModel model() {
        return model;
    }

    @Override
    public boolean plugged() {
        return plugged;
    }

    @Override
    public void unplug() {
        lock.lock();
        try {
            if (!plugged) {
                return;
            }
            plugged = false;
            connections.clear();
            claimed.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        bus.announceDeparture(this);
    }

    @Override
    public void replug() {
        unplug();
        connect(bus.newAddress());
    }

    @Override
    public boolean claimed(int interfaceNumber) {
        lock.lock();
        try {
            return claimed.contains(interfaceNumber);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        lock.lock();
        try {
            return kernelDrivers.get(interfaceNumber);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !connections.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeviceConnection open() throws UsbException {
        lock.lock();
        try {
            requirePlugged();
            VirtualConnection c = new VirtualConnection(this);
            connections.add(c);
            return c;
        } finally {
            lock.unlock();
        }
    }

    // Called by VirtualConnection with the lock held.

    void requirePlugged() throws UsbException {
        if (!plugged) {
            throw new UsbException(UsbException.Kind.GONE, "virtual device " + info + " was unplugged");
        }
    }

    boolean kernelDriverBound(int iface) {
        return kernelDrivers.containsKey(iface);
    }

    void detachKernelDriver(int iface) {
        kernelDrivers.remove(iface);
    }

    void attachKernelDriver(int iface) {
        String k = model.kernelDriver(iface);
        if (k != null && !claimed.contains(iface)) {
            kernelDrivers.put(iface, k);
        }
    }

    void claim(int iface) throws UsbException {
        if (info.interfaces().stream().noneMatch(i -> i.number() == iface)) {
            throw new UsbException(UsbException.Kind.OTHER, "device " + info + " has no interface " + iface);
        }
        if (kernelDrivers.containsKey(iface)) {
            throw new UsbException(UsbException.Kind.BUSY, "interface " + iface + " of " + info
                    + " is claimed by kernel driver " + kernelDrivers.get(iface));
        }
        claimed.add(iface);
    }

    void release(int iface) {
        claimed.remove(iface);
    }

    void requireClaimedFor(int endpoint) throws UsbException {
        for (UsbInterfaceInfo i : info.interfaces()) {
            if (i.endpoints().stream().anyMatch(e -> e.address() == endpoint)) {
                if (!claimed.contains(i.number())) {
                    throw new UsbException(UsbException.Kind.OTHER, "endpoint 0x" + Integer.toHexString(endpoint)
                            + " belongs to interface " + i.number() + ", which is not claimed");
                }
                return;
            }
        }
        throw new UsbException(UsbException.Kind.OTHER,
                "device " + info + " has no endpoint 0x" + Integer.toHexString(endpoint));
    }

    void closed(VirtualConnection c) {
        connections.remove(c);
    }

    long awaitNanos(long nanos) throws InterruptedException {
        return changed.awaitNanos(Math.max(nanos, TimeUnit.MICROSECONDS.toNanos(50)));
    }
}
