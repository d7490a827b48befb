package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;

/** Records what a backend reports, for tests to wait on. */
final class RecordingListener implements BackendListener {
    record Report(boolean arrived, BackendDevice device) {
    }

    private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    final List<BackendDevice> present = new CopyOnWriteArrayList<>();

    @Override
    public void arrived(BackendDevice device) {
        present.add(device);
        reports.add(new Report(true, device));
    }

    @Override
    public void left(BackendDevice device) {
        present.remove(device);
        reports.add(new Report(false, device));
    }

    BackendDevice awaitArrival() throws InterruptedException {
        return await(true);
    }

    BackendDevice awaitDeparture() throws InterruptedException {
        return await(false);
    }

    private BackendDevice await(boolean arrival) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Report r = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null) {
                fail("no " + (arrival ? "arrival" : "departure") + " reported within 10 s");
            }
            if (r.arrived() == arrival) {
                return r.device();
            }
        }
    }
}
