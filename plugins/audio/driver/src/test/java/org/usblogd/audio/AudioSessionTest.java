package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.UsbException;
import org.usblogd.audio.twin.MicrophoneTwin;
import org.usblogd.audio.twin.MicrophoneTwin.Signal;
import org.usblogd.audio.twin.MicrophoneTwin.Tone;
import org.usblogd.sim.internal.VirtualBusBackend;
import org.usblogd.testing.plugin.BusLink;
import org.usblogd.testing.plugin.RecordingSink;
import org.usblogd.api.usb.spi.BackendDevice;

/**
 * The driver's sessions on the microphone twin on the virtual bus, in real time (the bus paces the
 * isochronous stream a packet a millisecond): known tones in, their levels out; lost packets counted; the
 * rate set at the endpoint; the microphone unplugged mid-stream and plugged in again.
 */
@Timeout(60)
class AudioSessionTest {
    /** IEC 61672-1:2013 Annex E, the exact weightings at 100 Hz. */
    private static final double A_AT_100_HZ = -19.145;
    private static final double C_AT_100_HZ = -0.300;

    private final VirtualBusBackend bus = new VirtualBusBackend();
    private PluggedDevice plugged;

    @AfterEach
    void unplug() {
        if (plugged != null) {
            plugged.unplug();
        }
    }

    private BackendDevice plug(Signal signal) {
        plugged = bus.plug(new MicrophoneTwin(signal, 3));
        return (BackendDevice) plugged;
    }

    private static DeviceSettings settings(String... keyValues) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new DeviceSettings(m);
    }

    /** Polls a session as the core does until {@code channel} has {@code count} samples; returns the sink. */
    private static RecordingSink run(BackendDevice device, DeviceSettings settings, String channel, int count)
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (BusLink link = new BusLink(device, settings)) {
            AudioSession session = AudioSession.open(link, sink);
            try {
                while (sink.samples(channel).size() < count) {
                    try {
                        session.poll();
                    } catch (UsbException e) {
                        assertThat(e.kind()).as("only reads that time out").isEqualTo(UsbException.Kind.TIMEOUT);
                    }
                }
            } finally {
                session.close();
            }
        }
        return sink;
    }

    private static List<Double> values(RecordingSink sink, String channel) {
        return sink.samples(channel).stream().map(RecordingSink.Sample::value).toList();
    }

    @Test
    void aOneKilohertzToneAtMinusTwentyDbfsReadsMinusTwentyUnderEveryWeighting() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 0));

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "250"), "LZeq", 4);

        for (String channel : List.of("LAeq", "LCeq", "LZeq")) {
            assertThat(values(sink, channel)).as(channel).allSatisfy(v -> assertThat(v).isCloseTo(-20, within(0.1)));
        }
        assertThat(values(sink, "LAFmax")).as("Fast max of a steady tone").isNotEmpty()
                .allSatisfy(v -> assertThat(v).isCloseTo(-20, within(0.1)));
        assertThat(values(sink, "dropped")).containsOnly(0.0);
        assertThat(sink.channels).contains(new Channel("LAeq", "dBFS", "A-weighted equivalent continuous sound level"),
                new Channel("dropped", "packets", "audio packets lost or empty"));
        assertThat(sink.events("audio.stream")).singleElement().asString()
                .startsWith("interface 1 alt 1 (UAC1, 1 ch, 16/16 bit").contains("at 48000 Hz");
    }

    @Test
    void aHundredHertzToneLosesNineteenPointOneDecibelsToAWeightingAndThreeTenthsToC() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(100, -30)), Double.NEGATIVE_INFINITY, 0));

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "250"), "LZeq", 4);

        assertThat(values(sink, "LZeq")).allSatisfy(v -> assertThat(v).isCloseTo(-30, within(0.1)));
        assertThat(values(sink, "LAeq")).allSatisfy(v -> assertThat(v).isCloseTo(-30 + A_AT_100_HZ, within(0.1)));
        assertThat(values(sink, "LCeq")).allSatisfy(v -> assertThat(v).isCloseTo(-30 + C_AT_100_HZ, within(0.1)));
    }

    @Test
    void theDemoSignalReadsAsItsTonesAddUpUnderEachWeighting() throws Exception {
        BackendDevice mic = plug(Signal.demo());

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "fast"), "LZeq", 8);

        double a = 10 * Math.log10(Math.pow(10, -2.0) + Math.pow(10, (-20 + A_AT_100_HZ) / 10));
        double c = 10 * Math.log10(Math.pow(10, -2.0) + Math.pow(10, (-20 + C_AT_100_HZ) / 10));
        double z = 10 * Math.log10(2 * Math.pow(10, -2.0));
        // -50 dBFS of noise adds under 0.01 dB; a lost packet's gap is 1 ms of 125
        assertThat(values(sink, "LAeq")).allSatisfy(v -> assertThat(v).isCloseTo(a, within(0.1)));
        assertThat(values(sink, "LCeq")).allSatisfy(v -> assertThat(v).isCloseTo(c, within(0.1)));
        assertThat(values(sink, "LZeq")).allSatisfy(v -> assertThat(v).isCloseTo(z, within(0.1)));
    }

    @Test
    void aCalibrationOffsetTurnsDbfsIntoDecibelsOfSoundPressure() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -26)), Double.NEGATIVE_INFINITY, 0));

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "250", AudioSettings.CALIBRATION, "120",
                AudioSettings.WEIGHTINGS, "A"), "LAeq", 3);

        assertThat(values(sink, "LAeq")).allSatisfy(v -> assertThat(v).isCloseTo(94, within(0.1)));
        assertThat(sink.channels).extracting(Channel::name).containsExactly("LAeq", "LAFmax", "LAFmin", "dropped");
        assertThat(sink.channels.get(0).unit()).isEqualTo("dB");
    }

    @Test
    void lostPacketsAreCountedInTheIntervalTheyWereDueIn() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 50));

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "250"), "dropped", 5);

        // one packet in 50 of a 1 ms frame: 5 in 250 ms; an interval's edge may fall between two of them
        assertThat(values(sink, "dropped")).allSatisfy(v -> assertThat(v).isBetween(4.0, 6.0));
        assertThat(values(sink, "dropped").stream().mapToDouble(Double::doubleValue).sum()).isBetween(23.0, 27.0);
        assertThat(values(sink, "LAeq")).as("a lost millisecond does not move the level")
                .allSatisfy(v -> assertThat(v).isCloseTo(-20, within(0.1)));
    }

    @Test
    void badSettingsAreOneEventEachAndTheirDefaultsStandIn() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 0));

        RecordingSink sink = run(mic, settings(AudioSettings.INTERVAL, "soon", AudioSettings.WEIGHTINGS, "A,B",
                AudioSettings.CALIBRATION, "loud", AudioSettings.RATE, "12"), "LZeq", 1);

        assertThat(sink.events("audio.settings")).containsExactly(
                "audio.interval.ms = soon is not fast or a number of ms from 100 to 3600000; 1000 is used",
                "audio.weightings = A,B is not a list of A, C and Z (e.g. A,C); A,C,Z is used",
                "audio.calibration.db = loud is not the dB SPL of full scale (a number above 0 and below 250,"
                        + " e.g. 120); levels stay in dBFS",
                "audio.rate = 12 is not a rate from 8000 to 192000 Hz; the device's usual one is used");
        assertThat(sink.channels.get(0).unit()).isEqualTo("dBFS");
    }

    @Test
    void aRateTheMicrophoneDoesNotOfferEndsTheOpeningWithWhatItOffers() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 0));
        RecordingSink sink = new RecordingSink();
        try (BusLink link = new BusLink(mic, settings(AudioSettings.RATE, "44100"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AudioSession.open(link, sink))
                    .isInstanceOfSatisfying(UsbException.class, e -> assertThat(e.getMessage())
                            .startsWith("0d8c:0014 has no capture setting this driver can read: nothing carries 44100 Hz")
                            .contains("rate not listed"));
        }
        assertThat(plugged.claimed(1)).isFalse();
    }

    @Test
    void aMicrophoneUnpluggedMidStreamEndsTheSessionAsGoneAndPluggedInAgainLogsAgain() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 0));
        RecordingSink sink = new RecordingSink();
        try (BusLink link = new BusLink(mic, settings(AudioSettings.INTERVAL, "fast"))) {
            AudioSession session = AudioSession.open(link, sink);
            assertThat(plugged.kernelDriver(1)).as("snd-usb-audio detached while capturing").isNull();
            while (sink.samples("LAeq").isEmpty()) {
                session.poll();
            }
            plugged.unplug();
            UsbException gone = null;
            for (int i = 0; i < 10 && gone == null; i++) {
                try {
                    session.poll();
                } catch (UsbException e) {
                    gone = e;
                }
            }
            assertThat(gone).as("the poll after the unplug").isNotNull();
            assertThat(gone.kind()).isEqualTo(UsbException.Kind.GONE);
            session.close();
        } catch (UsbException e) {
            assertThat(e.kind()).as("closing a link whose device left").isEqualTo(UsbException.Kind.GONE);
        }

        plugged.replug();
        RecordingSink again = run((BackendDevice) plugged, settings(AudioSettings.INTERVAL, "fast"), "LAeq", 2);

        assertThat(values(again, "LAeq")).allSatisfy(v -> assertThat(v).isCloseTo(-20, within(0.1)));
        assertThat(plugged.kernelDriver(0)).as("snd-usb-audio bound again").isEqualTo(MicrophoneTwin.KERNEL_DRIVER);
        assertThat(plugged.kernelDriver(1)).as("snd-usb-audio bound again").isEqualTo(MicrophoneTwin.KERNEL_DRIVER);
        assertThat(plugged.claimed(1)).isFalse();
    }

    @Test
    void aHighSpeedUac2MicrophoneIsSetAtItsClockSourceAndReadAMicroframeAPacket() throws Exception {
        Uac2MicrophoneModel model = new Uac2MicrophoneModel(-20);
        plugged = bus.plug(model);

        RecordingSink sink = new RecordingSink();
        try (BusLink link = new BusLink((BackendDevice) plugged, settings(AudioSettings.INTERVAL, "250"))) {
            AudioSession session = AudioSession.open(link, sink);
            assertThat(plugged.claimed(0)).as("the control interface, which the clock's requests go to").isTrue();
            assertThat(plugged.claimed(1)).isTrue();
            while (sink.samples("LAeq").size() < 3) {
                session.poll();
            }
            session.close();
        }

        assertThat(values(sink, "LAeq")).allSatisfy(v -> assertThat(v).isCloseTo(-20, within(0.1)));
        assertThat(values(sink, "dropped")).containsOnly(0.0);
        assertThat(sink.events("audio.stream")).singleElement().asString()
                .startsWith("interface 1 alt 1 (UAC2, 1 ch, 16/16 bit").contains("at 48000 Hz");
        assertThat(model.requests).containsSubsequence("in setup a1 02 0100 1000 770",
                "out setup 21 01 0100 1000 4", "in setup a1 01 0100 1000 4");
    }

    @Test
    void transfersThatFailAsAWholeAreCountedAndOnlyTwoSecondsOfThemInARowEndTheSession() throws Exception {
        BackendDevice mic = plug(new Signal(List.of(new Tone(1000, -20)), Double.NEGATIVE_INFINITY, 0));
        RecordingSink sink = new RecordingSink();
        int[] failing = { 3 };
        try (BusLink link = new BusLink(mic, settings(AudioSettings.INTERVAL, "fast")) {
            /** The real stream, but the first transfers read fail whole, then every one. */
            @Override
            public org.usblogd.api.usb.InStream openStream(int e, int size, int inFlight) throws UsbException {
                org.usblogd.api.usb.InStream real = super.openStream(e, size, inFlight);
                return new org.usblogd.api.usb.InStream() {
                    @Override
                    public int endpoint() {
                        return e;
                    }

                    @Override
                    public int read(byte[] b, int ms) throws UsbException {
                        return readPackets(b, new int[0], ms);
                    }

                    @Override
                    public int readPackets(byte[] b, int[] p, int ms) throws UsbException {
                        if (failing[0] != 0) {
                            failing[0]--;
                            throw new UsbException(UsbException.Kind.OTHER, "transfer failed (status 1)");
                        }
                        return real.readPackets(b, p, ms);
                    }

                    @Override
                    public long completed() {
                        return real.completed();
                    }

                    @Override
                    public void close() {
                        real.close();
                    }
                };
            }
        }) {
            AudioSession session = AudioSession.open(link, sink);
            while (sink.samples("dropped").isEmpty()) {
                session.poll();
            }
            assertThat(values(sink, "dropped")).as("3 transfers of 8 packets").containsExactly(24.0);

            failing[0] = -1; // from now on every transfer fails
            int polls = 0;
            UsbException end = null;
            while (end == null) {
                try {
                    session.poll();
                    polls++;
                } catch (UsbException e) {
                    end = e;
                }
            }
            assertThat(polls).isEqualTo(AudioSession.FAILED_IN_A_ROW - 1);
            assertThat(end).hasMessage("transfer failed (status 1)");
            session.close();
        }
    }

    @Test
    void theSettingsFileKeysAreReadAsDocumented() {
        AudioSettings s = AudioSettings.of(new DeviceSettings(Map.of(AudioSettings.INTERVAL, "fast",
                AudioSettings.WEIGHTINGS, "a, z", AudioSettings.CALIBRATION, "118.5", AudioSettings.RATE, "44100")));

        assertThat(s.intervalSeconds()).isEqualTo(0.125);
        assertThat(s.weightings()).containsExactly(Weighting.A, Weighting.Z);
        assertThat(s.calibration()).isEqualTo(Calibration.of(118.5));
        assertThat(s.rate()).isEqualTo(44100);
        assertThat(s.problems()).isEmpty();
        assertThat(AudioSettings.of(DeviceSettings.NONE)).isEqualTo(new AudioSettings(1.0,
                List.of(Weighting.A, Weighting.C, Weighting.Z), Calibration.NONE, 0, List.of()));
    }
}
