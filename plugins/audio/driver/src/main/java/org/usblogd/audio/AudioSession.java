package org.usblogd.audio;

import java.util.List;
import java.util.OptionalInt;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;

/**
 * One microphone's capture: the setting chosen from its descriptors, the rate set (UAC1 at the endpoint,
 * UAC2 at the clock source), the isochronous IN endpoint read through a stream with transfers queued, and
 * the packets turned into an interval's levels. Packets that fail or come empty are counted, never fatal;
 * a transfer that fails as a whole counts all its packets. Audio is never stored: only the levels.
 */
final class AudioSession implements DriverSession {
    static final int CONTROL_TIMEOUT_MS = 1_000;
    static final int READ_TIMEOUT_MS = 1_000;
    /** Transfers kept queued: with 8 ms each, 32 ms of audio may wait for the session thread. */
    static final int IN_FLIGHT = 4;
    /** The audio one transfer holds; short enough that a stopped session is quick to notice. */
    static final double TRANSFER_SECONDS = 0.008;
    static final String DROPPED = "dropped";
    /** Whole transfers failing in a row this often (2 s of audio) is no passing disturbance: the session ends. */
    static final int FAILED_IN_A_ROW = 250;

    private final SampleSink sink;
    private final InStream stream;
    private final LevelChain chain;
    private final byte[] buffer;
    private final int[] lengths;
    private final List<Weighting> weightings;
    private int failedInARow;

    private AudioSession(SampleSink sink, InStream stream, CaptureSetting setting, int rate, AudioSettings settings,
            int packets) {
        this.sink = sink;
        this.stream = stream;
        this.weightings = settings.weightings();
        this.buffer = new byte[packets * Math.max(1, setting.bytesPerServiceInterval())];
        this.lengths = new int[packets];
        this.chain = new LevelChain(rate, setting.channels(), setting.subslotBytes(), settings.intervalSeconds(),
                settings.calibration(), settings.weightings(), this::emit);
    }

    static AudioSession open(DeviceLink link, SampleSink sink) throws UsbException {
        AudioSettings settings = AudioSettings.of(link.settings());
        for (String problem : settings.problems()) {
            sink.event("audio.settings", problem);
        }
        UsbDeviceInfo info = link.info();
        boolean highSpeed = info.speed().microframes();
        UacDescriptors descriptors = UacDescriptors.parse(configuration(link));
        ClockRates clocks = clockRates(link, descriptors);
        StreamChoice choice = settings.rate() > 0
                ? SettingChooser.choose(descriptors, new StreamRequest(settings.rate(), 0, 0), highSpeed, clocks)
                : SettingChooser.chooseDefault(descriptors, highSpeed, clocks);
        if (choice instanceof StreamChoice.Unusable u) {
            throw new UsbException(Kind.OTHER, info.vidPid() + " has no capture setting this driver can read: "
                    + u.why());
        }
        StreamChoice.Chosen chosen = (StreamChoice.Chosen) choice;
        CaptureSetting s = chosen.setting();
        if (s.uac() == 2) {
            link.claim(s.controlInterface()); // the clock's requests go to the control interface
        }
        link.claim(s.interfaceNumber());
        link.setAlternateSetting(s.interfaceNumber(), s.alternate());
        int rate = setRate(link, s, chosen.rate());
        int perTransfer = (int) Math.max(1, Math.round(TRANSFER_SECONDS / s.servicePeriodSeconds(highSpeed)));
        for (Weighting w : settings.weightings()) {
            String u = settings.calibration().unit();
            sink.declare(new Channel(name(w, "eq"), u, w + "-weighted equivalent continuous sound level"));
            sink.declare(new Channel(name(w, "Fmax"), u, w + "-weighted maximum sound level, Fast"));
            sink.declare(new Channel(name(w, "Fmin"), u, w + "-weighted minimum sound level, Fast"));
        }
        sink.declare(new Channel(DROPPED, "packets", "audio packets lost or empty"));
        sink.event("audio.stream", s.describe() + " at " + rate + " Hz; " + settings.weightings() + " every "
                + Math.round(settings.intervalSeconds() * 1000) + " ms in " + settings.calibration().unit());
        InStream stream = link.openStream(s.endpoint(), perTransfer * Math.max(1, s.bytesPerServiceInterval()),
                IN_FLIGHT);
        return new AudioSession(sink, stream, s, rate, settings, perTransfer);
    }

    /** "LAeq", "LCFmax": the names acoustics gives these levels. */
    static String name(Weighting w, String what) {
        return "L" + w + what;
    }

    /**
     * The active configuration's descriptors: from the core's description when it carries the class-specific
     * ones, otherwise asked of the device (GET_DESCRIPTOR, first its 9 bytes, then all of it).
     */
    private static byte[] configuration(DeviceLink link) throws UsbException {
        UsbDeviceInfo info = link.info();
        UsbConfigurationInfo config = info.configuration().orElseThrow(
                () -> new UsbException(Kind.OTHER, info.vidPid() + " describes no configuration"));
        if (ConfigurationBytes.hasClassDescriptors(config)) {
            return ConfigurationBytes.of(config);
        }
        int index = Math.max(0, info.configurations().indexOf(config));
        byte[] head = ask(link, UacRequests.configurationDescriptor(index, 9));
        OptionalInt total = UacRequests.totalLength(head, head.length);
        if (total.isEmpty()) {
            return head;
        }
        return ask(link, UacRequests.configurationDescriptor(index, Math.min(0xFFFF, total.getAsInt())));
    }

    private static ClockRates clockRates(DeviceLink link, UacDescriptors descriptors) {
        ClockRates clocks = ClockRates.UNASKED;
        for (CaptureSetting s : descriptors.captures()) {
            if (s.uac() == 2 && s.clockId() >= 0) {
                try {
                    byte[] answer = ask(link, UacRequests.uac2GetRanges(s.clockId(), s.controlInterface()));
                    clocks = clocks.with(s.clockId(), UacRequests.ranges(answer, answer.length));
                } catch (UsbException e) {
                    // a clock that does not answer RANGE is taken at its word; CUR read back decides
                }
            }
        }
        return clocks;
    }

    /** Sets the rate where the class keeps it and reads back what the device took; the chosen one if it won't say. */
    private static int setRate(DeviceLink link, CaptureSetting s, int rate) throws UsbException {
        if (!s.rateControl()) {
            return rate;
        }
        ControlRequest set = s.uac() == 2 ? UacRequests.uac2SetRate(s.clockId(), s.controlInterface(), rate)
                : UacRequests.uac1SetRate(s.endpoint(), rate);
        send(link, set);
        try {
            byte[] answer = ask(link, s.uac() == 2 ? UacRequests.uac2GetRate(s.clockId(), s.controlInterface())
                    : UacRequests.uac1GetRate(s.endpoint()));
            OptionalInt took = UacRequests.rate(answer, answer.length, s.uac() == 2 ? 4 : 3);
            return took.isPresent() && took.getAsInt() >= Weighting.MIN_RATE && took.getAsInt() <= Weighting.MAX_RATE
                    ? took.getAsInt() : rate;
        } catch (UsbException e) {
            if (e.kind() == Kind.GONE) {
                throw e;
            }
            return rate; // many UAC1 devices do not answer GET_CUR
        }
    }

    private static byte[] ask(DeviceLink link, ControlRequest r) throws UsbException {
        byte[] data = new byte[r.length()];
        int n = link.control(r.requestType(), r.request(), r.value(), r.index(), data, r.length(), CONTROL_TIMEOUT_MS);
        return java.util.Arrays.copyOf(data, Math.max(0, n));
    }

    private static void send(DeviceLink link, ControlRequest r) throws UsbException {
        link.control(r.requestType(), r.request(), r.value(), r.index(), r.data(), r.length(), CONTROL_TIMEOUT_MS);
    }

    @Override
    public void poll() throws Exception {
        int packets;
        try {
            packets = stream.readPackets(buffer, lengths, READ_TIMEOUT_MS);
        } catch (UsbException e) {
            boolean passing = e.kind() == Kind.STALL || e.kind() == Kind.OVERFLOW || e.kind() == Kind.OTHER;
            if (passing && ++failedInARow < FAILED_IN_A_ROW) {
                chain.missing(lengths.length); // the whole transfer is lost; the stream goes on
                return;
            }
            throw e;
        }
        failedInARow = 0;
        int at = 0;
        for (int i = 0; i < packets; i++) {
            int length = i < lengths.length ? lengths[i] : InStream.MISSING;
            if (length == InStream.MISSING) {
                chain.missing(1);
            } else {
                chain.packet(buffer, at, length);
                at += length;
            }
        }
    }

    private void emit(Interval interval) {
        long now = sink.now();
        for (Weighting w : weightings) {
            Levels l = interval.of(w);
            sink.accept(name(w, "eq"), now, l.leq());
            l.max().ifPresent(v -> sink.accept(name(w, "Fmax"), now, v));
            l.min().ifPresent(v -> sink.accept(name(w, "Fmin"), now, v));
        }
        sink.accept(DROPPED, now, interval.droppedPackets());
    }

    @Override
    public void close() {
        stream.close();
    }
}
