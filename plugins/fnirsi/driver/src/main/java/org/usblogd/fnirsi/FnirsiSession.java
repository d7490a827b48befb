package org.usblogd.fnirsi;

import java.util.ArrayList;
import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.CadenceClock;
import org.usblogd.api.sample.ChannelSink;
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
 *
 * <p>A meter still streaming for a session before this one (the daemon restarted, the core was made anew)
 * ignores the start and stops when that session's keep-alives run out, 3 s after the last on an FNB58: so
 * the first keep-alive goes at once, and a read that times out (a second without one of 25 reports a second)
 * means the meter stopped, and the stream is started again, rather than leaving it silent until the core
 * finds the device stale.
 *
 * <p>The meter measures on its own clock, 100 times a second, so samples are stamped by that cadence rather
 * than by when the host read them. Reports the host reads back to back (it was busy, and they piled up) are
 * stamped together as one run ending at the last one's arrival: each report is therefore held until the
 * next one shows whether it belongs to the same run, or a read times out, or the session ends. A run goes to
 * the sink as one batch per channel.
 */
final class FnirsiSession implements DriverSession {
    private static final long PACING_MS = 25;
    private static final int TIMEOUT_MS = 1_000;
    static final long SAMPLE_MICROS = 10_000; // 100 samples/s
    static final long REPORT_MICROS = FnirsiDecoder.SAMPLES_PER_REPORT * SAMPLE_MICROS;
    /**
     * How far the stamps may fall behind the arrivals before they start again there: less than one report
     * (40 ms). Runs of reports are stamped from the arrival of their last, so what is left of a lag is the
     * host's delay in reading, milliseconds, which the clock smooths away; a lag of a whole report means a
     * report was lost (a failed CRC, one the meter could not hold), and the samples after it belong at their
     * arrival rather than smeared over the next second.
     */
    static final long MAX_LAG_MICROS = 30_000;
    /** Reports that arrive closer together than half a report period were read back to back. */
    static final long RUN_GAP_MICROS = REPORT_MICROS / 2;
    /** The longest run held: a second of reports. */
    static final int MAX_RUN_REPORTS = 25;
    /** Report the bad-report, implausible-report and restart counts on the first and then every this many. */
    private static final long REPORT_EVERY = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final int in;
    private final int out;
    private final boolean fnb58;
    private final long keepAliveNanos;
    private final FnirsiDecoder decoder = new FnirsiDecoder();
    private final byte[] buffer = new byte[FnirsiCodec.REPORT];
    private final CadenceClock clock = new CadenceClock(SAMPLE_MICROS, MAX_LAG_MICROS);
    /** Samples of the reports read back to back, not yet stamped, oldest first. */
    private final List<FnirsiDecoder.Sample> run = new ArrayList<>();
    private final long[] times = new long[MAX_RUN_REPORTS * FnirsiDecoder.SAMPLES_PER_REPORT];
    /** A run's values, a row per channel in the order of {@link #channels}. */
    private final double[][] values = new double[5][times.length];
    /** Voltage, current, D+, D-, temperature: declared once the stream is started. */
    private ChannelSink[] channels;
    private long runArrival;
    private boolean firstData = true;
    private long keepAliveAt;
    private long restarts;

    private FnirsiSession(DeviceLink link, SampleSink sink, int in, int out, boolean fnb58) {
        this.link = link;
        this.sink = sink;
        this.in = in;
        this.out = out;
        this.fnb58 = fnb58;
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
        s.start();
        s.channels = new ChannelSink[] { sink.channel(FnirsiDriver.VOLTAGE), sink.channel(FnirsiDriver.CURRENT),
                sink.channel(FnirsiDriver.D_PLUS), sink.channel(FnirsiDriver.D_MINUS),
                sink.channel(FnirsiDriver.TEMPERATURE) };
        return s;
    }

    private static int endpoint(UsbInterfaceInfo hid, boolean wantIn) throws UsbException {
        return hid.endpoints().stream().filter(e -> e.isIn() == wantIn && e.type() == TransferType.INTERRUPT)
                .mapToInt(UsbEndpointInfo::address).findFirst().orElseThrow(() -> new UsbException(
                        UsbException.Kind.OTHER, "power meter's HID interface has no interrupt "
                                + (wantIn ? "IN" : "OUT") + " endpoint"));
    }

    /** The start sequence, then a keep-alive at once for a meter that ignored it because it still streams. */
    private void start() throws UsbException, InterruptedException {
        send(0x81);
        Thread.sleep(PACING_MS);
        send(0x82);
        Thread.sleep(PACING_MS);
        send(fnb58 ? 0x82 : 0x83);
        Thread.sleep(PACING_MS);
        send(0x83);
        keepAliveAt = System.nanoTime() + keepAliveNanos;
        firstData = true;
    }

    private void send(int command) throws UsbException {
        byte[] c = FnirsiCodec.command(command);
        link.interrupt(out, c, c.length, TIMEOUT_MS);
    }

    @Override
    public void poll() throws UsbException, InterruptedException {
        int n;
        try {
            n = link.interrupt(in, buffer, buffer.length, TIMEOUT_MS);
        } catch (UsbException e) {
            flush(); // nothing more arrived: the run is complete
            if (e.kind() == UsbException.Kind.TIMEOUT) {
                restart();
            }
            throw e;
        }
        long now = sink.now();
        long badBefore = decoder.bad();
        long implausibleBefore = decoder.implausible();
        List<FnirsiDecoder.Sample> samples = decoder.decode(buffer, n);
        if (!samples.isEmpty()) {
            if (firstData) {
                firstData = false; // garbage after the start
            } else {
                if (!run.isEmpty()
                        && (now - runArrival >= RUN_GAP_MICROS || run.size() + samples.size() > times.length)) {
                    flush();
                }
                run.addAll(samples);
                runArrival = now;
            }
        } else if (decoder.bad() > badBefore || decoder.implausible() > implausibleBefore) {
            firstData = false; // the garbage report fails its CRC as often as not
            flush(); // a report is missing: what came before and after are two runs
            if (due(badBefore, decoder.bad())) {
                sink.event("decode.bad", decoder.bad() + " report(s) failed the CRC or were short");
            }
            if (due(implausibleBefore, decoder.implausible())) {
                sink.event("decode.implausible", decoder.implausible() + " report(s) with a valid CRC held what no"
                        + " meter measures and were dropped; the last: " + decoder.lastImplausible());
            }
        }
        if (System.nanoTime() - keepAliveAt >= 0) {
            send(0x83);
            keepAliveAt = System.nanoTime() + keepAliveNanos;
        }
    }

    /** The meter stopped streaming (it missed its keep-alives): started again, said the first and every so often. */
    private void restart() throws UsbException, InterruptedException {
        restarts++;
        if (due(restarts - 1, restarts)) {
            sink.event("meter.restarted", "the meter sent nothing for " + TIMEOUT_MS + " ms (it stops when its"
                    + " keep-alives stay away); its stream was started again (" + restarts + " time(s) so far)");
        }
        start();
    }

    /** Stamps the held run by the meter's cadence, its last sample at the last report's arrival at the latest. */
    private void flush() {
        if (run.isEmpty()) {
            return;
        }
        int n = run.size();
        clock.stamp(runArrival, times, n);
        for (int i = 0; i < n; i++) {
            FnirsiDecoder.Sample s = run.get(i);
            values[0][i] = s.volts();
            values[1][i] = s.amps();
            values[2][i] = s.dPlusVolts();
            values[3][i] = s.dMinusVolts();
            values[4][i] = s.celsius();
        }
        for (int c = 0; c < channels.length; c++) {
            channels[c].accept(times, values[c], 0, n);
        }
        run.clear();
    }

    @Override
    public void close() {
        flush();
    }

    /**
     * Whether a count that went from {@code before} to {@code after} is worth an event: the first, then
     * every so many.
     */
    private static boolean due(long before, long after) {
        return after > before && (before == 0 || before / REPORT_EVERY != after / REPORT_EVERY);
    }
}
