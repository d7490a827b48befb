package org.usblogd.hid;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;

/** Reads the input reports a HID device pushes and stores the configured fields of each. */
final class HidLoggerSession implements DriverSession {
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final int endpoint;
    private final ReportFields fields;
    private final byte[] buffer;
    private long implausibleReported;

    private HidLoggerSession(DeviceLink link, SampleSink sink, int endpoint, int packetSize, ReportFields fields) {
        this.link = link;
        this.sink = sink;
        this.endpoint = endpoint;
        this.fields = fields;
        this.buffer = new byte[Math.max(64, packetSize)];
    }

    static HidLoggerSession open(DeviceLink link, SampleSink sink, int interfaceNumber, int configuredEndpoint,
            ReportFields fields) throws UsbException {
        UsbEndpointInfo in = link.info().interfaces().stream().filter(i -> i.number() == interfaceNumber)
                .flatMap(i -> i.endpoints().stream()).filter(e -> e.isIn() && e.type() == TransferType.INTERRUPT)
                .filter(e -> configuredEndpoint < 0 || e.address() == configuredEndpoint).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "interface " + interfaceNumber
                        + " has no interrupt IN endpoint" + (configuredEndpoint < 0 ? ""
                                : String.format(" 0x%02x", configuredEndpoint))));
        link.claim(interfaceNumber);
        return new HidLoggerSession(link, sink, in.address(), in.maxPacketSize(), fields);
    }

    @Override
    public void poll() throws UsbException {
        int n = link.interrupt(endpoint, buffer, buffer.length, TIMEOUT_MS);
        // one report per transfer, and nothing here says the device's period: stamped when it arrives
        long now = sink.now();
        long badBefore = fields.bad();
        for (ReportFields.Value v : fields.decode(buffer, n)) {
            sink.accept(v.channel(), now, v.value());
        }
        if (fields.bad() > badBefore && (fields.bad() == 1 || fields.bad() % 1_000 == 0)) {
            sink.event("decode.bad", fields.bad() + " report(s) too short for the configured fields or of"
                    + " another report ID");
        }
        if (fields.implausible() > implausibleReported
                && (implausibleReported == 0 || implausibleReported / 1_000 != fields.implausible() / 1_000)) {
            implausibleReported = fields.implausible();
            sink.event("decode.implausible", implausibleReported + " value(s) outside their field's range were"
                    + " dropped; the last: " + fields.lastImplausible());
        }
    }
}
