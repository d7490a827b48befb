package org.usblogd.usb.internal;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.testing.umockdev.UsbTestbed;
import org.usblogd.usb.internal.libusb.LibUsbBackend;
import org.usblogd.usb.internal.libusb.LibUsbBenchmarkAccess;
import org.usblogd.usb.internal.libusb.LibUsbHarness;

/**
 * Prints what the core costs per transfer over raw usb4java calls on the same emulated device (both in the
 * same run, alternating, so machine noise hits both), and the throughput of the streaming reader with 1, 4
 * and 16 transfers in flight. Run: {@code bench/usb} (see README). Figures vary with the machine; the
 * ratios are what to compare.
 */
public final class UsbTransferBenchmark {
    private static final int ROUNDS = 7;
    private static final int TRANSFERS = 5_000;

    public static void main(String[] args) throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            testbed.plug(new org.usblogd.usb.internal.libusb.BenchmarkModel(), 1, 1, 2);
            LibUsbBackend backend = LibUsbHarness.backend(testbed);
            LibUsbHarness.activate(backend, "none");
            BackendDevice[] device = new BackendDevice[1];
            backend.start(new org.usblogd.api.usb.spi.BackendListener() {
                @Override
                public void arrived(BackendDevice d) {
                    device[0] = d;
                }

                @Override
                public void left(BackendDevice d) {
                }
            });
            try {
                run(device[0]);
            } finally {
                LibUsbHarness.deactivate(backend);
            }
        }
    }

    private static void run(BackendDevice device) throws Exception {
        DeviceHandle raw = LibUsbBenchmarkAccess.openRaw(device);
        DeviceConnection connection = device.open();
        CoreDeviceLink link = new CoreDeviceLink(device.info(), device.info().identity(), connection);
        try {
            link.claim(0);
            LibUsb.claimInterface(raw, 0);
            System.out.printf("usblogd USB transfer benchmark: %d rounds x %d transfers, emulated device (umockdev)%n",
                    ROUNDS, TRANSFERS);
            compare("bulk IN 64 B", () -> rawBulk(raw, 0x81, 64), () -> coreBulk(link, 0x81, 64));
            compare("bulk IN 512 B", () -> rawBulk(raw, 0x83, 512), () -> coreBulk(link, 0x83, 512));
            compare("interrupt IN 8 B", () -> rawInterrupt(raw, 0x82, 8), () -> coreInterrupt(link, 0x82, 8));
            compare("control IN 8 B", () -> rawControl(raw), () -> coreControl(link));
            streams(link);
        } finally {
            LibUsb.releaseInterface(raw, 0);
            LibUsb.close(raw);
            link.releaseAndClose();
        }
    }

    interface Batch {
        void run() throws Exception;
    }

    private static void compare(String what, Batch raw, Batch core) throws Exception {
        raw.run(); // warm-up, JIT
        core.run();
        List<Double> rawUs = new ArrayList<>();
        List<Double> coreUs = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            rawUs.add(perTransferMicros(raw));
            coreUs.add(perTransferMicros(core));
        }
        double rawMedian = median(rawUs);
        double coreMedian = median(coreUs);
        System.out.printf("%-18s raw usb4java %7.2f us/transfer   core+DeviceLink %7.2f us/transfer   ratio %.3f%n",
                what, rawMedian, coreMedian, coreMedian / rawMedian);
    }

    private static double perTransferMicros(Batch b) throws Exception {
        long t0 = System.nanoTime();
        b.run();
        return (System.nanoTime() - t0) / 1_000.0 / TRANSFERS;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void rawBulk(DeviceHandle h, int ep, int size) {
        raw(h, ep, size, true);
    }

    private static void rawInterrupt(DeviceHandle h, int ep, int size) {
        raw(h, ep, size, false);
    }

    private static void raw(DeviceHandle h, int ep, int size, boolean bulk) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        IntBuffer n = IntBuffer.allocate(1);
        byte[] out = new byte[size];
        for (int i = 0; i < TRANSFERS; i++) {
            check(bulk ? LibUsb.bulkTransfer(h, (byte) ep, b, n, 1_000)
                    : LibUsb.interruptTransfer(h, (byte) ep, b, n, 1_000));
            b.get(0, out, 0, n.get(0));
        }
    }

    private static void rawControl(DeviceHandle h) {
        ByteBuffer b = ByteBuffer.allocateDirect(8);
        byte[] out = new byte[8];
        for (int i = 0; i < TRANSFERS; i++) {
            int r = LibUsb.controlTransfer(h, (byte) 0xC0, (byte) 1, (short) 0, (short) 0, b, 1_000);
            check(r);
            b.get(0, out, 0, r);
        }
    }

    private static void coreBulk(CoreDeviceLink link, int ep, int size) throws Exception {
        byte[] b = new byte[size];
        for (int i = 0; i < TRANSFERS; i++) {
            link.bulk(ep, b, size, 1_000);
        }
    }

    private static void coreInterrupt(CoreDeviceLink link, int ep, int size) throws Exception {
        byte[] b = new byte[size];
        for (int i = 0; i < TRANSFERS; i++) {
            link.interrupt(ep, b, size, 1_000);
        }
    }

    private static void coreControl(CoreDeviceLink link) throws Exception {
        byte[] b = new byte[8];
        for (int i = 0; i < TRANSFERS; i++) {
            link.control(0xC0, 1, 0, 0, b, 8, 1_000);
        }
    }

    private static void streams(CoreDeviceLink link) throws Exception {
        double syncRate = 0;
        byte[] buffer = new byte[16 * 1024];
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2)) {
            link.bulk(0x84, buffer, 4096, 1_000);
            n++;
        }
        syncRate = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("bulk IN 4 KiB, synchronous reads (baseline): %8.0f transfers/s %7.1f MB/s%n", syncRate,
                syncRate * 4096 / 1e6);
        for (int inFlight : new int[] { 1, 4, 16 }) {
            try (InStream s = link.openStream(0x84, 4096, inFlight)) {
                for (int i = 0; i < 200; i++) {
                    s.read(buffer, 1_000); // warm-up
                }
                long start = System.nanoTime();
                long bytes = 0;
                int transfers = 0;
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
                    bytes += s.read(buffer, 1_000);
                    transfers++;
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("bulk IN 4 KiB, stream with %2d in flight:      %8.0f transfers/s %7.1f MB/s"
                        + "   %.2fx synchronous%n", inFlight, transfers / secs, bytes / secs / 1e6,
                        transfers / secs / syncRate);
            }
        }
    }

    private static void check(int r) {
        if (r < 0) {
            throw new IllegalStateException(LibUsb.strError(r));
        }
    }
}
