package org.usblogd.audio.twin;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;

/**
 * A cheap full-speed UAC1 USB microphone as the C-Media "USB PnP Sound Device" dongles describe themselves:
 * an audio control interface (microphone input terminal, feature unit, USB streaming output terminal) and
 * an audio streaming interface whose alternate 1 sends 48 kHz mono 16-bit PCM on isochronous IN 0x81, 96
 * bytes a 1 ms frame, with a settable sampling frequency. Both interfaces are bound to snd-usb-audio.
 *
 * <p>What it hears is a {@link Signal}: tones at known levels over white noise, so the levels the driver
 * computes can be checked against the arithmetic; every {@code lossEvery}-th packet it does not send.
 */
public final class MicrophoneTwin implements DeviceModel {
    /**
     * On a virtual hub of its own: the demo's other devices keep the ports (and device keys) they had before
     * this family was added, whatever order the families start in.
     */
    static final String PORT = "v2-1";
    public static final int VID = 0x0d8c;
    public static final int PID = 0x0014;
    public static final int ENDPOINT = 0x81;
    public static final int RATE = 48_000;
    public static final int FRAMES_PER_PACKET = RATE / 1000;
    public static final int PACKET = FRAMES_PER_PACKET * 2;
    public static final String KERNEL_DRIVER = "snd-usb-audio";

    /** A sine at {@code hz} of {@code dbfs} as AES17 has it: a full-scale sine is 0 dBFS. */
    public record Tone(double hz, double dbfs) {
        double amplitude() {
            return Math.pow(10, dbfs / 20);
        }
    }

    /**
     * What the microphone hears.
     *
     * @param noiseDbfs the white noise's level, AES17 dBFS (its RMS is that of a sine of that level), or
     *        {@code Double.NEGATIVE_INFINITY} for none
     * @param lossEvery every this many packets one is not sent; 0 for none
     */
    public record Signal(List<Tone> tones, double noiseDbfs, int lossEvery) {
        public Signal {
            tones = List.copyOf(tones);
        }

        /**
         * The demo's: 1 kHz at -20 dBFS and 100 Hz at -20 dBFS over -50 dBFS noise, a packet lost a second.
         * A weighting takes 19.1 dB off the 100 Hz tone, C weighting 0.3 dB: LAeq -19.9, LCeq -17.1, LZeq
         * -17.0 dBFS.
         */
        public static Signal demo() {
            return new Signal(List.of(new Tone(1000, -20), new Tone(100, -20)), -50, 1000);
        }
    }

    private final Signal signal;
    private final String serial;
    private final Random noise;
    private final double noiseSigma;
    private long frame;
    private long packets;
    private int rate = RATE;

    public MicrophoneTwin(Signal signal, long seed) {
        this(signal, seed, null);
    }

    /** @param serial the iSerial string; C-Media dongles have none */
    public MicrophoneTwin(Signal signal, long seed, String serial) {
        this.signal = signal;
        this.serial = serial;
        this.noise = new Random(seed);
        this.noiseSigma = Double.isFinite(signal.noiseDbfs()) ? Math.pow(10, signal.noiseDbfs() / 20) / Math.sqrt(2) : 0;
    }

    private static byte[] d(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Audio Devices 1.0, 4.3.2: header (1.00, one streaming interface: 1), and the unit graph 1 -> 2 -> 3. */
    static final byte[] CONTROL = concat(d(9, 0x24, 0x01, 0x00, 0x01, 0x1E, 0x00, 1, 1),
            d(12, 0x24, 0x02, 1, 0x01, 0x02, 0, 1, 0, 0, 0, 0), // input terminal 1: microphone, mono
            d(9, 0x24, 0x06, 2, 1, 1, 0x03, 0x00, 0), // feature unit 2 from 1: mute, volume
            d(9, 0x24, 0x03, 3, 0x01, 0x01, 0, 2, 0)); // output terminal 3: USB streaming, from 2
    /** Audio Devices 1.0, 4.5.2 and Audio Formats 1.0, 2.2.5: PCM to terminal 3, type I, 1 x 16 bit, 48 kHz. */
    static final byte[] STREAMING = concat(d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
            d(11, 0x24, 0x02, 0x01, 1, 2, 16, 1, RATE & 0xFF, (RATE >> 8) & 0xFF, RATE >> 16));
    /** Audio Devices 1.0, 4.6.1.2: the sampling frequency control. */
    static final byte[] ENDPOINT_CS = d(7, 0x25, 0x01, 0x01, 0, 0, 0);

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo control = new UsbInterfaceInfo(0, 0, 0x01, 0x01, 0, List.of(), null, CONTROL);
        UsbInterfaceInfo idle = new UsbInterfaceInfo(1, 0, 0x01, 0x02, 0, List.of(), null);
        UsbInterfaceInfo capture = new UsbInterfaceInfo(1, 1, 0x01, 0x02, 0,
                List.of(new UsbEndpointInfo(ENDPOINT, TransferType.ISOCHRONOUS, PACKET, 1, ENDPOINT_CS)), null,
                STREAMING);
        return new UsbDeviceInfo(VID, PID, 0x0100, 0, 0, 0, "C-Media Electronics Inc.", "USB PnP Sound Device",
                serial, PORT, 0, List.of(UsbConfigurationInfo.of(List.of(control, idle, capture))), 1, UsbSpeed.FULL);
    }

    /** The configuration descriptor as the device sends it (standard endpoints of 9 bytes, as UAC1 has them). */
    byte[] configurationDescriptor() {
        byte[] body = concat(d(9, 0x04, 0, 0, 0, 0x01, 0x01, 0, 0), CONTROL, d(9, 0x04, 1, 0, 0, 0x01, 0x02, 0, 0),
                d(9, 0x04, 1, 1, 1, 0x01, 0x02, 0, 0), STREAMING,
                d(9, 0x05, ENDPOINT, 0x05, PACKET & 0xFF, PACKET >> 8, 1, 0, 0), ENDPOINT_CS);
        int total = 9 + body.length;
        return concat(d(9, 0x02, total & 0xFF, total >> 8, 2, 1, 0, 0x80, 50), body);
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return KERNEL_DRIVER;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup s) throws UsbException {
        if (s.requestType() == 0x80 && s.request() == 0x06 && s.value() == 0x0200) {
            return configurationDescriptor();
        }
        if (s.requestType() == 0xA2 && s.request() == 0x81 && s.value() == 0x0100 && s.index() == ENDPOINT) {
            return d(rate & 0xFF, (rate >> 8) & 0xFF, rate >> 16);
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + s);
    }

    @Override
    public synchronized void controlOut(ControlSetup s, byte[] data) throws UsbException {
        if (s.requestType() == 0x22 && s.request() == 0x01 && s.value() == 0x0100 && s.index() == ENDPOINT
                && data.length >= 3) {
            int asked = (data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16;
            if (asked != RATE) {
                throw new UsbException(UsbException.Kind.STALL, "rate " + asked + " Hz is not offered");
            }
            rate = asked;
            return;
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + s);
    }

    /** One 1 ms packet each time the host's controller asks: the host's clock paces the stream. */
    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT) {
            return null;
        }
        byte[] packet = new byte[PACKET];
        for (int i = 0; i < FRAMES_PER_PACKET; i++) {
            double t = (double) frame++ / RATE;
            double x = 0;
            for (Tone tone : signal.tones()) {
                x += tone.amplitude() * Math.sin(2 * Math.PI * tone.hz() * t);
            }
            x += noiseSigma * noise.nextGaussian();
            long v = Math.round(x * 32768);
            short sample = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            packet[2 * i] = (byte) sample;
            packet[2 * i + 1] = (byte) (sample >> 8);
        }
        long k = packets++;
        if (signal.lossEvery() > 0 && k % signal.lossEvery() == signal.lossEvery() - 1) {
            return null;
        }
        return packet;
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return Long.MAX_VALUE; // isochronous: the host's frames, not the device, say when
    }

    @Override
    public synchronized void reset() {
        rate = RATE;
    }

    /** Packets asked for so far, the lost ones included. */
    public synchronized long packets() {
        return packets;
    }

    /** Packets not sent so far. */
    public synchronized long lost() {
        return signal.lossEvery() > 0 ? packets / signal.lossEvery() : 0;
    }
}
