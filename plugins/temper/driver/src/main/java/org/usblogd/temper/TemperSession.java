package org.usblogd.temper;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/**
 * A TEMPer: commands go as output reports (SET_REPORT) to the data interface 1, replies come on its
 * interrupt IN endpoint. Opening asks the firmware string (retried: it may come short), then reads once
 * and throws that reply away (some V1.4 units hang otherwise); then one read per poll interval.
 */
final class TemperSession implements DriverSession {
    static final long DEFAULT_POLL_MS = 2_000;
    static final int INTERFACE = 1;
    static final int ENDPOINT = 0x82;
    static final byte[] READ_SENSORS = { 0x01, (byte) 0x80, 0x33, 0x01, 0, 0, 0, 0 };
    static final byte[] FIRMWARE = { 0x01, (byte) 0x86, (byte) 0xFF, 0x01, 0, 0, 0, 0 };
    private static final int FIRMWARE_TRIES = 3;
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final TemperDecoder decoder;
    private final long pollNanos;
    private final byte[] buffer = new byte[8];
    private long nextAt = System.nanoTime();
    private long missingReported;
    private long implausibleReported;

    private TemperSession(DeviceLink link, SampleSink sink, TemperVariant variant, long pollMs) {
        this.link = link;
        this.sink = sink;
        this.decoder = new TemperDecoder(variant);
        this.pollNanos = pollMs * 1_000_000;
    }

    static TemperSession open(DeviceLink link, SampleSink sink, long pollMs) throws UsbException {
        link.claim(0); // the boot keyboard: usbhid would otherwise read it alongside
        link.claim(INTERFACE);
        String firmware = firmware(link);
        TemperVariant variant = TemperVariant.of(firmware, link.info().vidPid());
        sink.event("temper.firmware", variant.firmware() + " (" + variant.scaling() + ", second value "
                + variant.second() + ")");
        sink.declare(TemperDriver.TEMPERATURE);
        if (variant.second() == TemperVariant.Second.HUMIDITY) {
            sink.declare(TemperDriver.HUMIDITY);
        } else if (variant.second() == TemperVariant.Second.PROBE) {
            sink.declare(TemperDriver.PROBE);
        }
        TemperSession session = new TemperSession(link, sink, variant, pollMs);
        session.command(READ_SENSORS);
        session.read(); // discarded: the first reply of some units is stale
        return session;
    }

    /** The firmware string from its two 8-byte parts; "" when the device never gives both. */
    private static String firmware(DeviceLink link) throws UsbException {
        byte[] part = new byte[8];
        for (int attempt = 1; attempt <= FIRMWARE_TRIES; attempt++) {
            link.control(0x21, 0x09, 0x0200, INTERFACE, FIRMWARE.clone(), FIRMWARE.length, TIMEOUT_MS);
            StringBuilder text = new StringBuilder();
            try {
                for (int i = 0; i < 2; i++) {
                    int n = link.interrupt(ENDPOINT, part, part.length, TIMEOUT_MS);
                    text.append(new String(part, 0, n, StandardCharsets.US_ASCII));
                }
                String s = text.toString().replaceAll("[^\\x20-\\x7e]", "").strip();
                if (s.startsWith("TEMPer")) {
                    return s;
                }
            } catch (UsbException e) {
                if (e.kind() != UsbException.Kind.TIMEOUT) {
                    throw e;
                }
            }
            drain(link, part);
        }
        return "";
    }

    /** Reads what a short reply left queued, so that the next answer is not taken for this one's tail. */
    private static void drain(DeviceLink link, byte[] part) throws UsbException {
        try {
            while (true) {
                link.interrupt(ENDPOINT, part, part.length, 100);
            }
        } catch (UsbException e) {
            if (e.kind() != UsbException.Kind.TIMEOUT) {
                throw e;
            }
        }
    }

    private void command(byte[] command) throws UsbException {
        link.control(0x21, 0x09, 0x0200, INTERFACE, command.clone(), command.length, TIMEOUT_MS);
    }

    private int read() throws UsbException {
        return link.interrupt(ENDPOINT, buffer, buffer.length, TIMEOUT_MS);
    }

    @Override
    public void poll() throws UsbException, InterruptedException {
        long wait = nextAt - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        nextAt = Math.max(nextAt + pollNanos, System.nanoTime());
        command(READ_SENSORS);
        int n = read();
        long now = sink.now(); // polled: the reading is the sensor's value when asked
        long badBefore = decoder.bad();
        List<TemperDecoder.Reading> readings = decoder.decode(buffer, n);
        for (TemperDecoder.Reading r : readings) {
            sink.accept(r.channel(), now, r.value());
        }
        if (decoder.bad() > badBefore && (decoder.bad() == 1 || decoder.bad() % 100 == 0)) {
            sink.event("decode.bad", decoder.bad() + " reply(ies) were short or malformed");
        }
        if (decoder.missing() > missingReported && (missingReported == 0 || decoder.missing() % 1_000 == 0)) {
            missingReported = decoder.missing();
            sink.event("temper.no-sensor", "the thermometer reports no sensor (0x4E20) for a value");
        }
        if (decoder.implausible() > implausibleReported
                && (implausibleReported == 0 || implausibleReported / 100 != decoder.implausible() / 100)) {
            implausibleReported = decoder.implausible();
            sink.event("decode.implausible", implausibleReported + " value(s) the sensors cannot measure were"
                    + " dropped; the last: " + decoder.lastImplausible());
        }
    }
}
