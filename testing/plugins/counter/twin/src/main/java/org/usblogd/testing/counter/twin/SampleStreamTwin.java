package org.usblogd.testing.counter.twin;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A high-rate data acquisition device (1209:0011) that numbers its samples: each bulk IN transfer on 0x81
 * carries the sequence number of its first sample (8 bytes, big-endian), its sample period in nanoseconds
 * (4 bytes) and then up to 1000 readings as 32-bit hundredths of a unit, a slow random walk like a real
 * sensor's. It produces {@code rate} samples a
 * second of its own clock; what the host does not read in time is lost, as in a device's FIFO.
 */
public final class SampleStreamTwin implements DeviceModel {
    public static final int ENDPOINT = 0x81;
    public static final int MAX_PER_TRANSFER = 1000;

    private final String serial;
    private final long rate;
    private final Random random;
    private long startNanos;
    private long produced;
    private int hundredths = 2_000;

    public SampleStreamTwin(String serial, long rate, long seed) {
        this.serial = serial;
        this.rate = Math.max(1, rate);
        this.random = new Random(seed);
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x1209, 0x0011, 0x0100, 0, 0, 0, "usblogd", "Sample stream twin", serial, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xff, 0, 0,
                        List.of(new UsbEndpointInfo(ENDPOINT, TransferType.BULK, 512, 0)))));
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "stream twin stalls " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "stream twin stalls " + setup);
    }

    private long due(long nowNanos) {
        if (startNanos == 0) {
            startNanos = nowNanos;
        }
        return (nowNanos - startNanos) * rate / 1_000_000_000L;
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT) {
            return null;
        }
        long due = due(nowNanos);
        if (due - produced > 50L * MAX_PER_TRANSFER) {
            produced = due - MAX_PER_TRANSFER; // the FIFO overflowed while nobody read
        }
        int n = (int) Math.min(MAX_PER_TRANSFER, due - produced);
        if (n <= 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * n).putLong(produced).putInt((int) (1_000_000_000L / rate));
        for (int i = 0; i < n; i++) {
            hundredths += random.nextInt(5) - 2;
            b.putInt(hundredths);
        }
        produced += n;
        return b.array();
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT) {
            return Long.MAX_VALUE;
        }
        if (startNanos == 0) {
            return nowNanos;
        }
        // when a transfer's worth is due, or a millisecond from now at low rates
        long wantSamples = Math.min(MAX_PER_TRANSFER, Math.max(1, rate / 1_000));
        return startNanos + (produced + wantSamples) * 1_000_000_000L / rate;
    }

    @Override
    public synchronized void reset() {
        // the device keeps numbering across a reset; only the host's view starts over
    }
}
