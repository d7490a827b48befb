package org.usblogd.co2mon;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/** One monitor: send the key once, then read the items it pushes on interrupt IN 0x81. */
final class Co2Session implements DriverSession {
    private static final int INTERFACE = 0;
    private static final int ENDPOINT = 0x81;
    private static final int READ_TIMEOUT_MS = 2_000;
    /** Report the bad-report and implausible-value counts on the first and then every this many. */
    private static final long REPORT_EVERY = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final Co2Decoder decoder;
    private final byte[] buffer = new byte[Co2Codec.REPORT_LENGTH];

    private Co2Session(DeviceLink link, SampleSink sink, byte[] key) {
        this.link = link;
        this.sink = sink;
        this.decoder = new Co2Decoder(key);
    }

    static Co2Session open(DeviceLink link, SampleSink sink, byte[] key) throws UsbException {
        link.claim(INTERFACE);
        // SET_REPORT(Feature, id 0) with the key starts the stream; the device encrypts with it (old firmware).
        link.control(0x21, 0x09, 0x0300, INTERFACE, key.clone(), key.length, 1_000);
        sink.declare(Co2MonDriver.CO2);
        sink.declare(Co2MonDriver.TEMPERATURE);
        sink.declare(Co2MonDriver.HUMIDITY);
        return new Co2Session(link, sink, key);
    }

    @Override
    public void poll() throws UsbException {
        int n = link.interrupt(ENDPOINT, buffer, buffer.length, READ_TIMEOUT_MS);
        // the monitor's cadence is not documented and differs per item: a reading is stamped when it arrives
        long now = sink.now();
        long badBefore = decoder.bad();
        long implausibleBefore = decoder.implausible();
        Co2Decoder.Reading r = decoder.decode(buffer, n);
        if (r != null) {
            sink.accept(r.channel(), now, r.value());
        }
        if (due(badBefore, decoder.bad())) {
            sink.event("decode.bad", decoder.bad() + " report(s) failed the checksum or were short");
        }
        if (due(implausibleBefore, decoder.implausible())) {
            sink.event("decode.implausible", decoder.implausible() + " value(s) the monitor cannot measure were"
                    + " dropped; the last: " + decoder.lastImplausible());
        }
    }

    /**
     * Whether a count that went from {@code before} to {@code after} is worth an event: the first, then
     * every so many.
     */
    static boolean due(long before, long after) {
        return after > before && (before == 0 || before / REPORT_EVERY != after / REPORT_EVERY);
    }
}
