package org.usblogd.usbtmc;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * Any USBTMC or USB488 instrument (interface class fe/03): what to ask it comes from the device's settings,
 * {@code scpi.N = COMMAND -> CHANNEL UNIT}, asked in turn every {@code poll.ms} (default 1 s).
 */
@Component(immediate = true)
@UsbMatch(driver = "usbtmc", usbClass = "fe", subclass = "03", settings = "scpi.*")
public class UsbtmcDriver implements Driver {
    static final long DEFAULT_POLL_MS = 1_000;
    static final int TIMEOUT_MS = 2_000;

    @Override
    public String name() {
        return "usbtmc";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        List<ScpiQuery> queries = ScpiQuery.parse(link.settings().under("scpi."));
        UsbtmcLink tmc = UsbtmcLink.open(link, TIMEOUT_MS);
        String identity = identity(tmc, sink);
        sink.event("usbtmc.identity", identity + " (" + tmc.capabilities() + ")");
        if (queries.isEmpty()) {
            sink.event("usbtmc.idle", "no scpi.N = COMMAND -> CHANNEL UNIT in the device's settings: nothing to poll");
        }
        for (ScpiQuery q : queries) {
            sink.declare(new Channel(q.channel(), q.unit(), q.channel()));
        }
        return new ScpiPoller(tmc, sink, queries, link.settings().pollMillis(DEFAULT_POLL_MS));
    }

    /** The answer to *IDN?, asked again when a reply breaks the protocol (the link resynchronised). */
    private static String identity(UsbtmcLink tmc, SampleSink sink) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return tmc.query("*IDN?").strip();
            } catch (UsbtmcLink.ProtocolError e) {
                if (attempt == ScpiPoller.BROKEN_IN_A_ROW) {
                    throw e;
                }
                sink.event("usbtmc.resync", e.getMessage() + "; the transfer was aborted, asking again");
            }
        }
    }
}
