package org.usblogd.usbtmc;

import java.util.function.UnaryOperator;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.usbtmc.twin.UsbtmcTwin;

/** The USBTMC twin with the next bulk-IN packet changed on its way to the host, as a flaky cable or firmware may. */
final class GarblingTwin implements DeviceModel {
    final UsbtmcTwin twin;
    private UnaryOperator<byte[]> next;
    private boolean refuseAborts;
    private int clears;

    GarblingTwin(UsbtmcTwin twin) {
        this.twin = twin;
    }

    /** Changes the next packet the twin sends on bulk IN. */
    synchronized void garbleNext(UnaryOperator<byte[]> garble) {
        next = garble;
    }

    @Override
    public UsbDeviceInfo info() {
        return twin.info();
    }

    /** Answers INITIATE_ABORT_BULK_IN with STATUS_FAILED from now on, as an instrument that lost count may. */
    synchronized void refuseAborts() {
        refuseAborts = true;
    }

    /** INITIATE_CLEAR requests so far. */
    synchronized int clears() {
        return clears;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() == 0xA2 && setup.request() == 3 && refuseAborts) {
            return new byte[] { (byte) 0x80, (byte) setup.value() };
        }
        if (setup.requestType() == 0xA1 && setup.request() == 5) {
            clears++;
        }
        return twin.controlIn(setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        twin.controlOut(setup, data);
    }

    @Override
    public void out(int endpoint, byte[] data) throws UsbException {
        twin.out(endpoint, data);
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        byte[] p = twin.in(endpoint, nowNanos);
        if (p != null && next != null) {
            p = next.apply(p.clone());
            next = null;
        }
        return p;
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return twin.nextInNanos(endpoint, nowNanos);
    }

    @Override
    public void reset() {
        twin.reset();
    }
}
