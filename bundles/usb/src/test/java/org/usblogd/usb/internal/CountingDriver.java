package org.usblogd.usb.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.testing.counter.twin.CounterTwin;

/** Reads the sequence of {@link CounterTwin}s with a given serial prefix; can be told to misbehave. */
final class CountingDriver implements Driver {
    enum Fault {
        NONE, THROW_IN_OPEN, THROW_IN_POLL,
        /** Every poll after the third fails with a USB protocol error, as a wedged device does. */
        USB_ERROR_IN_POLL,
        /** Every other poll fails with a transient OVERFLOW. */
        TRANSIENT_IN_POLL,
        /** close() blocks until {@link CountingDriver#releaseHang} is counted down. */
        HANG_IN_CLOSE,
        /** As HANG_IN_CLOSE, and once released the session writes one more sample, valued -1. */
        HANG_IN_CLOSE_THEN_WRITE,
        /** Every 60th poll of a session fails with a USB protocol error: a device that works, mostly. */
        USB_ERROR_EVERY_60TH_POLL
    }

    final java.util.concurrent.CountDownLatch releaseHang = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch wroteAfterHang = new java.util.concurrent.CountDownLatch(1);

    private final String name;
    private final String serialPrefix;
    private final Fault fault;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile org.usblogd.api.usb.DeviceSettings lastSettings;

    CountingDriver(String name, String serialPrefix, Fault fault) {
        this.name = name;
        this.serialPrefix = serialPrefix;
        this.fault = fault;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int match(UsbDeviceInfo d) {
        return d.vendorId() == CounterTwin.VENDOR_ID && d.serialNumber().startsWith(serialPrefix) ? MATCH_VID_PID : 0;
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        opens.incrementAndGet();
        lastSettings = link.settings();
        link.claim(0);
        if (fault == Fault.THROW_IN_OPEN) {
            throw new IllegalStateException("driver bug in open");
        }
        sink.declare(new Channel("count", "1", "count"));
        byte[] buffer = new byte[8];
        return new DriverSession() {
            private int polls;

            @Override
            public void poll() throws Exception {
                int n = link.interrupt(0x81, buffer, buffer.length, 1_000);
                polls++;
                if (fault == Fault.THROW_IN_POLL && polls > 3) {
                    throw new ArrayIndexOutOfBoundsException("driver bug in poll");
                }
                if (fault == Fault.USB_ERROR_IN_POLL && polls > 3) {
                    throw new UsbException(UsbException.Kind.OTHER, "protocol error from the device");
                }
                if (fault == Fault.USB_ERROR_EVERY_60TH_POLL && polls % 60 == 0) {
                    throw new UsbException(UsbException.Kind.OTHER, "protocol error, once in a while");
                }
                if (fault == Fault.TRANSIENT_IN_POLL && polls % 2 == 0) {
                    throw new UsbException(UsbException.Kind.OVERFLOW, "babble");
                }
                sink.accept("count", sink.now(), CounterTwin.sequence(buffer));
            }

            @Override
            public void close() {
                closes.incrementAndGet();
                if (fault == Fault.HANG_IN_CLOSE || fault == Fault.HANG_IN_CLOSE_THEN_WRITE) {
                    try {
                        releaseHang.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (fault == Fault.HANG_IN_CLOSE_THEN_WRITE) {
                    sink.accept("count", sink.now(), -1);
                    wroteAfterHang.countDown();
                }
            }
        };
    }
}
