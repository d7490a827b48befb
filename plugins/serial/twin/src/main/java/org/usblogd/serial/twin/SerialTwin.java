package org.usblogd.serial.twin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongFunction;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbException;

/**
 * What the serial twins share: a device that prints a line every period once the host has set the line
 * up, over a bulk IN endpoint, in packets of random size so that lines straddle packets. At a baud rate
 * other than its own it sends what a UART would: garbage. Subclasses speak their chip's setup requests
 * and framing.
 */
public abstract class SerialTwin implements DeviceModel {
    private final int bulkIn;
    private final int ownBaud;
    private final long periodNanos;
    private final LongFunction<String> lines;
    protected final Random random;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long nextAt;
    private long linesSent;
    /** The rate the host set; 0 until it did. */
    protected int hostBaud;
    protected boolean dtr;

    /** @param ownBaud the UART's rate; 0 for native USB serial (CDC-ACM), where the rate is only a number */
    protected SerialTwin(int bulkIn, int ownBaud, long periodNanos, LongFunction<String> lines, long seed) {
        this.bulkIn = bulkIn;
        this.ownBaud = ownBaud;
        this.periodNanos = periodNanos;
        this.lines = lines;
        this.random = new Random(seed);
    }

    /** Whether the host has done what this device needs before it talks (line coding, DTR, ...). */
    protected abstract boolean talking();

    /** Wraps payload into what goes over the wire in one bulk IN transfer. */
    protected byte[] frame(byte[] payload) {
        return payload;
    }

    /** What an idle device sends when it has no data; null: nothing (the transfer waits). */
    protected byte[] idle() {
        return null;
    }

    protected int maxPayload() {
        return 64;
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != bulkIn) {
            return null;
        }
        if (!talking()) {
            return null;
        }
        if (nextAt == 0) {
            nextAt = nowNanos;
        }
        while (nowNanos - nextAt >= 0) {
            nextAt += periodNanos;
            byte[] line = lines.apply(linesSent++).getBytes(StandardCharsets.UTF_8);
            if (ownBaud > 0 && hostBaud != ownBaud) {
                random.nextBytes(line); // a UART at the wrong rate: framing errors and noise
            }
            pending.writeBytes(line);
            if (nowNanos - nextAt > 10 * periodNanos) {
                nextAt = nowNanos; // nobody read for a while; the device's buffer overflowed long ago
            }
        }
        if (pending.size() == 0) {
            return idle();
        }
        byte[] all = pending.toByteArray();
        int n = Math.min(all.length, 1 + random.nextInt(maxPayload()));
        pending.reset();
        pending.write(all, n, all.length - n);
        return frame(Arrays.copyOf(all, n));
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        if (endpoint != bulkIn || !talking()) {
            return Long.MAX_VALUE;
        }
        return pending.size() > 0 || nextAt == 0 ? nowNanos : nextAt;
    }

    @Override
    public synchronized void reset() {
        pending.reset();
        nextAt = 0;
        hostBaud = 0;
        dtr = false;
    }

    public synchronized long linesSent() {
        return linesSent;
    }

    protected static UsbException stall(String device, ControlSetup setup) {
        return new UsbException(UsbException.Kind.STALL, device + " stalls " + setup);
    }
}
