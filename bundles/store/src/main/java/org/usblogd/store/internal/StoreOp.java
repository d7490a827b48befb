package org.usblogd.store.internal;

import org.usblogd.api.usb.UsbDeviceInfo;

/** Work for the writer thread. Everything but samples is rare and goes through an unbounded queue. */
sealed interface StoreOp {

    record Attached(String deviceKey, UsbDeviceInfo info, String backend, long t) implements StoreOp {
    }

    record DriverBound(String deviceKey, String driver) implements StoreOp {
    }

    record Detached(String deviceKey, long t) implements StoreOp {
    }

    record Event(String deviceKey, String kind, String message, long t) implements StoreOp {
    }

    record Declare(ChannelRef channel) implements StoreOp {
    }

    record Sample(ChannelRef channel, long t, double v) implements StoreOp {
    }
}
