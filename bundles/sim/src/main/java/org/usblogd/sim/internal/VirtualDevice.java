package org.usblogd.sim.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.sim.host.HostDeviceState;

/**
 * A model in a port: whether it is plugged, the host's state for it ({@link HostDeviceState}, the same the
 * umockdev harness keeps) and the one lock under which both are used, so models need no locking of their own.
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
    private HostDeviceState host;
    private final Set<VirtualConnection> connections = new HashSet<>();

    VirtualDevice(VirtualBusBackend bus, DeviceModel model, String portPath) {
        this.bus = bus;
        this.model = model;
        this.portPath = portPath;
        this.info = model.info().at(portPath, 0);
        this.host = new HostDeviceState(info, model);
    }

    void connect(int address) {
        lock.lock();
        try {
            info = model.info().at(portPath, address);
            host = new HostDeviceState(info, model);
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
            host.unplugged();
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
            return host.claimed(interfaceNumber);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        lock.lock();
        try {
            return host.kernelDriver(interfaceNumber);
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

    HostDeviceState host() {
        return host;
    }

    void closed(VirtualConnection c) {
        connections.remove(c);
    }

    long awaitNanos(long nanos) throws InterruptedException {
        return changed.awaitNanos(Math.max(nanos, TimeUnit.MICROSECONDS.toNanos(50)));
    }
}
