package org.usblogd.fnirsi;

import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Starts the meter's stream (AA 81, AA 82, then AA 83 or, on an FNB58, AA 82 again, 25 ms apart), keeps it
 * alive with AA 83 (every few ms on FNB48/C1, every second on FNB58) and reads 25 reports a second of four
 * samples each. The first data report after the start is garbage.
 */
final class FnirsiSession implements DriverSession {
    private static final long PACING_MS = 25;
    private static final int TIMEOUT_MS = 1_000;
    private static final long SAMPLE_MICROS = 10_000; // 100 samples/s

    private final DeviceLink link;
    private final SampleSink sink;
    private final int in;
    private final int out;
    private final long keepAliveNanos;
    private final FnirsiDecoder decoder = new FnirsiDecoder();
    private final byte[] buffer = new byte[FnirsiCodec.REPORT];
    private boolean firstData = true;
    private long keepAliveAt;

    private FnirsiSession(DeviceLink link, SampleSink sink, int in, int out, boolean fnb58) {
        this.link = link;
        this.sink = sink;
        this.in = in;
        this.out = out;
        this.keepAliveNanos = fnb58 ? 1_000_000_000L : 3_000_000L;
    }

    static FnirsiSession open(DeviceLink link, SampleSink sink) throws UsbException, InterruptedException {
        UsbInterfaceInfo hid = link.info().interfaces().stream().filter(i -> i.interfaceClass() == 3).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "power meter has no HID interface"));
        int in = endpoint(hid, true);
        int out = endpoint(hid, false);
        // every interface: the kernel's drivers of the other functions would otherwise keep the device busy
        for (int number : link.info().interfaces().stream().mapToInt(UsbInterfaceInfo::number).distinct().toArray()) {
            link.claim(number);
        }
        boolean fnb58 = link.info().vendorId() == 0x2e3c;
        FnirsiSession s = new FnirsiSession(link, sink, in, out, fnb58);
        s.send(0x81);
        Thread.sleep(PACING_MS);
        s.send(0x82);
        Thread.sleep(PACING_MS);
        s.send(fnb58 ? 0x82 : 0x83);
        Thread.sleep(PACING_MS);
        s.keepAliveAt = System.nanoTime() + s.keepAliveNanos;
        for (var c : List.of(FnirsiDriver.VOLTAGE, FnirsiDriver.CURRENT, FnirsiDriver.D_PLUS, FnirsiDriver.D_MINUS,
                FnirsiDriver.TEMPERATURE)) {
            sink.declare(c);
        }
        return s;
    }

    private static int endpoint(UsbInterfaceInfo hid, boolean wantIn) throws UsbException {
        return hid.endpoints().stream().filter(e -> e.isIn() == wantIn && e.type() == TransferType.INTERRUPT)
                .mapToInt(UsbEndpointInfo::address).findFirst().orElseThrow(() -> new UsbException(
                        UsbException.Kind.OTHER, "power meter's HID interface has no interrupt "
                                + (wantIn ? "IN" : "OUT") + " endpoint"));
    }

    private void send(int command) throws UsbException {
        byte[] c = FnirsiCodec.command(command);
        link.interrupt(out, c, c.length, TIMEOUT_MS);
    }

    @Override
    public void poll() throws UsbException {
        int n = link.interrupt(in, buffer, buffer.length, TIMEOUT_MS);
        long now = SampleSink.nowMicros();
        long badBefore = decoder.bad();
        List<FnirsiDecoder.Sample> samples = decoder.decode(buffer, n);
        if (!samples.isEmpty()) {
            if (firstData) {
                firstData = false; // garbage after the start
            } else {
                for (FnirsiDecoder.Sample s : samples) {
                    long t = now - (FnirsiDecoder.SAMPLES_PER_REPORT - 1 - s.index()) * SAMPLE_MICROS;
                    sink.accept(FnirsiDriver.VOLTAGE.name(), t, s.volts());
                    sink.accept(FnirsiDriver.CURRENT.name(), t, s.amps());
                    sink.accept(FnirsiDriver.D_PLUS.name(), t, s.dPlusVolts());
                    sink.accept(FnirsiDriver.D_MINUS.name(), t, s.dMinusVolts());
                    sink.accept(FnirsiDriver.TEMPERATURE.name(), t, s.celsius());
                }
            }
        } else if (decoder.bad() > badBefore) {
            firstData = false; // the garbage report fails its CRC as often as not
            if (decoder.bad() == 1 || decoder.bad() % 1_000 == 0) {
                sink.event("decode.bad", decoder.bad() + " report(s) failed the CRC or were short");
            }
        }
        if (System.nanoTime() - keepAliveAt >= 0) {
            send(0x83);
            keepAliveAt = System.nanoTime() + keepAliveNanos;
        }
    }
}
