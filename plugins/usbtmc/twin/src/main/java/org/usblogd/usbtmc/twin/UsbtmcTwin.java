package org.usblogd.usbtmc.twin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Twin of a USB488 bench multimeter (docs/devices.md §3): SCPI commands in DEV_DEP_MSG_OUT on bulk OUT
 * 0x02, replies to REQUEST_DEV_DEP_MSG_IN on bulk IN 0x81 with the request's bTag echoed, and the class
 * requests (clear, abort, GET_CAPABILITIES, READ_STATUS_BYTE). The Keysight style answers at most 16 bytes
 * per request, so long replies take several requests until EOM; the Rigol style answers a whole reply to
 * one request but puts the header only on its first 64-byte packet.
 */
public final class UsbtmcTwin implements DeviceModel {
    public enum Style {
        KEYSIGHT, RIGOL
    }

    public static final int IN = 0x81;
    public static final int OUT = 0x02;
    private static final int STANDARD_CHUNK = 16;

    private final Style style;
    private final Random random;
    private final Queue<byte[]> in = new ArrayDeque<>();
    private byte[] reply = new byte[0];
    private int replyOffset;
    private boolean clearPending;
    private boolean corruptNextTag;
    private long queries;
    private long abortsIn;

    public UsbtmcTwin(Style style, long seed) {
        this.style = style;
        this.random = new Random(seed);
    }

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo tmc = new UsbInterfaceInfo(0, 0, 0xFE, 0x03, 0x01, List.of(
                new UsbEndpointInfo(OUT, TransferType.BULK, 64, 0), new UsbEndpointInfo(IN, TransferType.BULK, 64, 0),
                new UsbEndpointInfo(0x83, TransferType.INTERRUPT, 8, 1)));
        return style == Style.RIGOL
                ? new UsbDeviceInfo(0x1ab1, 0x09c4, 0x0100, 0, 0, 0, "Rigol Technologies", "DM3058", "DM3A000001", "-", 0,
                        List.of(tmc))
                : new UsbDeviceInfo(0x2a8d, 0x1301, 0x0100, 0, 0, 0, "Keysight Technologies", "34461A", "MY12345678",
                        "-", 0, List.of(tmc));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "usbtmc";
    }

    private String answer(String command) {
        queries++;
        return switch (command.strip().toUpperCase(Locale.ROOT)) {
        case "*IDN?" -> style == Style.RIGOL ? "Rigol Technologies,DM3058,DM3A000001,01.01.00.01.08.00\n"
                : "Keysight Technologies,34461A,MY12345678,A.02.14-02.40-02.14-00.49-03-01\n";
        case "MEAS:VOLT:DC?" -> String.format(Locale.ROOT, "%+.8E\n", 1.23456789 + (random.nextInt(201) - 100) * 1e-6);
        case "MEAS:CURR:DC?" -> String.format(Locale.ROOT, "%+.8E\n", 0.0123 + (random.nextInt(21) - 10) * 1e-6);
        case "MEAS:RES?" -> "+9.90000000E+37\n"; // open leads: overload
        case "SYST:ERR?" -> "+0,\"No error\"\n";
        default -> "";
        };
    }

    @Override
    public synchronized void out(int endpoint, byte[] m) throws UsbException {
        if (endpoint != OUT || m.length < 12 || (m[1] & 0xFF) != (~m[2] & 0xFF)) {
            throw new UsbException(UsbException.Kind.STALL, "USBTMC bulk OUT halted");
        }
        int size = (m[4] & 0xFF) | (m[5] & 0xFF) << 8 | (m[6] & 0xFF) << 16 | (m[7] & 0xFF) << 24;
        if (m[0] == 1) {
            String command = new String(m, 12, Math.min(size, m.length - 12), StandardCharsets.US_ASCII);
            reply = answer(command).getBytes(StandardCharsets.US_ASCII);
            replyOffset = 0;
        } else if (m[0] == 2) {
            int tag = m[1] & 0xFF;
            int left = reply.length - replyOffset;
            if (left == 0) {
                return; // nothing to say: the request times out, as a real instrument's does
            }
            int n = style == Style.RIGOL ? Math.min(size, left) : Math.min(Math.min(size, STANDARD_CHUNK), left);
            boolean eom = replyOffset + n == reply.length;
            byte[] msg = new byte[(12 + n + 3) / 4 * 4];
            msg[0] = 2;
            int sent = corruptNextTag ? tag + 1 : tag;
            corruptNextTag = false;
            msg[1] = (byte) sent;
            msg[2] = (byte) ~sent;
            msg[4] = (byte) n;
            msg[5] = (byte) (n >> 8);
            msg[8] = (byte) (eom ? 1 : 0);
            System.arraycopy(reply, replyOffset, msg, 12, n);
            replyOffset += n;
            if (style == Style.RIGOL) {
                int end = 12 + n;
                for (int p = 0; p < end; p += 64) {
                    in.add(Arrays.copyOfRange(msg, p, Math.min(end, p + 64))); // header on the first packet only
                }
            } else {
                in.add(msg);
            }
        }
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        return endpoint == IN ? in.poll() : null;
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return endpoint == IN && !in.isEmpty() ? nowNanos : Long.MAX_VALUE;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup s) throws UsbException {
        if (s.requestType() == 0xA1) {
            switch (s.request()) {
            case 5: // INITIATE_CLEAR
                in.clear();
                reply = new byte[0];
                clearPending = true;
                return new byte[] { 1 };
            case 6: // CHECK_CLEAR_STATUS: pending once, as instruments are while they flush
                if (clearPending) {
                    clearPending = false;
                    return new byte[] { 2, 0 };
                }
                return new byte[] { 1, 0 };
            case 7: { // GET_CAPABILITIES
                byte[] c = new byte[0x18];
                c[0] = 1;
                c[2] = 0x00;
                c[3] = 0x01; // bcdUSBTMC 1.00
                c[5] = 1; // TermChar
                c[12] = 0x00;
                c[13] = 0x01; // bcdUSB488 1.00
                c[14] = 0x07;
                c[15] = 0x0F; // SCPI
                return c;
            }
            case 128: // READ_STATUS_BYTE
                return new byte[] { 1, (byte) s.value(), 0 };
            default:
                break;
            }
        } else if (s.requestType() == 0xA2) {
            switch (s.request()) {
            case 1, 3: // INITIATE_ABORT_BULK_OUT / _IN
                if (s.request() == 3) {
                    abortsIn++;
                }
                in.clear();
                replyOffset = reply.length;
                return new byte[] { 1, (byte) s.value() };
            case 2, 4: // CHECK_ABORT_..._STATUS
                return new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 };
            default:
                break;
            }
        }
        throw new UsbException(UsbException.Kind.STALL, "USBTMC stalls " + s);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "USBTMC stalls " + setup);
    }

    @Override
    public synchronized void reset() {
        in.clear();
        reply = new byte[0];
    }

    public synchronized long queries() {
        return queries;
    }

    public synchronized long abortsIn() {
        return abortsIn;
    }

    /** The next reply echoes the wrong bTag, as a confused instrument's may. */
    public synchronized void corruptNextTag() {
        corruptNextTag = true;
    }
}
