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
    /** Report the bad-report count on the first and then every this many. */
    private static final long BAD_REPORT_EVERY = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final Co2Decoder decoder;
    private final byte[] buffer = new byte[Co2Codec.REPORT_LENGTH];
    private long spuriousReported;

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
        long now = SampleSink.nowMicros();
        long badBefore = decoder.bad();
        Co2Decoder.Reading r = decoder.decode(buffer, n);
        if (r != null) {
            sink.accept(r.channel(), now, r.value());
        } else if (decoder.bad() > badBefore && (decoder.bad() == 1 || decoder.bad() % BAD_REPORT_EVERY == 0)) {
            sink.event("decode.bad", decoder.bad() + " report(s) failed the checksum or were short");
        } else if (decoder.spurious() > spuriousReported) {
            spuriousReported = decoder.spurious();
            sink.event("decode.spurious", "dropped an implausible CO2 value (" + spuriousReported + " so far)");
        }
    }
}
