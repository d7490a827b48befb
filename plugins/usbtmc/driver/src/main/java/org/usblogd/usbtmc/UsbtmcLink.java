package org.usblogd.usbtmc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * One instrument's USBTMC conversation: the clear sequence and GET_CAPABILITIES when opening, then queries
 * (DEV_DEP_MSG_OUT, then REQUEST_DEV_DEP_MSG_IN until EOM), each with a fresh bTag. A reply that breaks the
 * protocol, or a timeout, is followed by the abort sequence so that the next query starts clean.
 */
final class UsbtmcLink implements ScpiPoller.Instrument {

    /**
     * A reply that broke the protocol (no header, a wrong MsgID or bTag, too long): its transfer was
     * aborted and the link resynchronised, so the conversation can go on with the next query.
     */
    static final class ProtocolError extends UsbException {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super(Kind.OTHER, message);
        }
    }

    static final int STATUS_SUCCESS = 0x01;
    static final int STATUS_PENDING = 0x02;
    static final int STATUS_TRANSFER_NOT_IN_PROGRESS = 0x81;
    private static final int MAX_REPLY = 1024;
    private static final int PENDING_TRIES = 50;

    private final DeviceLink link;
    private final int iface;
    private final int in;
    private final int out;
    private final int inPacket;
    private final int timeoutMs;
    private final byte[] buffer;
    private int tag;
    private Capabilities capabilities;

    private UsbtmcLink(DeviceLink link, int iface, int in, int out, int inPacket, int timeoutMs) {
        this.link = link;
        this.iface = iface;
        this.in = in;
        this.out = out;
        this.inPacket = inPacket;
        this.timeoutMs = timeoutMs;
        this.buffer = new byte[MAX_REPLY + UsbtmcCodec.HEADER + 64];
    }

    static UsbtmcLink open(DeviceLink link, int timeoutMs) throws UsbException, InterruptedException {
        UsbInterfaceInfo i = link.info().interfaces().stream()
                .filter(x -> x.interfaceClass() == 0xFE && x.interfaceSubClass() == 0x03).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "no USBTMC interface (class fe/03)"));
        UsbEndpointInfo bulkIn = bulk(i, true);
        UsbEndpointInfo bulkOut = bulk(i, false);
        link.claim(i.number());
        UsbtmcLink l = new UsbtmcLink(link, i.number(), bulkIn.address(), bulkOut.address(), bulkIn.maxPacketSize(),
                timeoutMs);
        l.clear();
        l.capabilities = l.readCapabilities();
        return l;
    }

    private static UsbEndpointInfo bulk(UsbInterfaceInfo i, boolean wantIn) throws UsbException {
        return i.endpoints().stream().filter(e -> e.isIn() == wantIn && e.type() == TransferType.BULK).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "USBTMC interface without bulk "
                        + (wantIn ? "IN" : "OUT")));
    }

    Capabilities capabilities() {
        return capabilities;
    }

    /** INITIATE_CLEAR, CHECK_CLEAR_STATUS while pending (draining bulk IN when asked), CLEAR_FEATURE(HALT) on OUT. */
    void clear() throws UsbException, InterruptedException {
        byte[] status = new byte[2];
        int n = link.control(0xA1, 5, 0, iface, status, 1, timeoutMs);
        if (n < 1 || status[0] != STATUS_SUCCESS) {
            throw new UsbException(UsbException.Kind.OTHER, "INITIATE_CLEAR failed with status "
                    + (n < 1 ? "none" : String.format("0x%02x", status[0])));
        }
        for (int tries = 0; tries < PENDING_TRIES; tries++) {
            n = link.control(0xA1, 6, 0, iface, status, 2, timeoutMs);
            if (n >= 1 && status[0] == STATUS_PENDING) {
                if (n >= 2 && (status[1] & 0x01) != 0) {
                    drainIn();
                } else {
                    Thread.sleep(10);
                }
                continue;
            }
            if (n < 1 || status[0] != STATUS_SUCCESS) {
                throw new UsbException(UsbException.Kind.OTHER, "CHECK_CLEAR_STATUS failed");
            }
            link.clearHalt(out);
            return;
        }
        throw new UsbException(UsbException.Kind.TIMEOUT, "the instrument stayed in CLEAR pending");
    }

    private Capabilities readCapabilities() throws UsbException {
        byte[] r = new byte[0x18];
        int n = link.control(0xA1, 7, 0, iface, r, r.length, timeoutMs);
        try {
            return Capabilities.parse(r, n);
        } catch (IllegalStateException e) {
            throw new UsbException(UsbException.Kind.OTHER, e.getMessage());
        }
    }

    /**
     * Sends an SCPI command and returns the whole reply (up to EOM), or throws; a timeout aborts the
     * transfer first, and a reply that breaks the protocol resynchronises the link first.
     *
     * @throws ProtocolError when the reply broke the protocol; the link is ready for the next query
     */
    @Override
    public String query(String command) throws UsbException, InterruptedException {
        tag = UsbtmcCodec.nextTag(tag);
        byte[] msg = UsbtmcCodec.devDepMsgOut(tag, command.endsWith("\n") ? command : command + "\n");
        try {
            link.bulk(out, msg, msg.length, timeoutMs);
        } catch (UsbException e) {
            if (e.kind() == UsbException.Kind.TIMEOUT) {
                abortOut(tag);
            }
            throw e;
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        boolean eom = false;
        while (!eom) {
            tag = UsbtmcCodec.nextTag(tag);
            byte[] request = UsbtmcCodec.requestDevDepMsgIn(tag, MAX_REPLY, '\n');
            link.bulk(out, request, request.length, timeoutMs);
            try {
                int n = link.bulk(in, buffer, buffer.length, timeoutMs);
                UsbtmcCodec.InHeader h = UsbtmcCodec.parseIn(buffer, n, tag, MAX_REPLY);
                int have = Math.min(n - UsbtmcCodec.HEADER, h.transferSize());
                reply.write(buffer, UsbtmcCodec.HEADER, have);
                // Rigol: the rest of a long reply comes without headers; read it as it is
                while (have < h.transferSize()) {
                    int more = link.bulk(in, buffer, buffer.length, timeoutMs);
                    int take = Math.min(more, h.transferSize() - have);
                    reply.write(buffer, 0, take);
                    have += take;
                }
                eom = h.eom();
                if (reply.size() > 64 * MAX_REPLY) {
                    throw new IllegalStateException("reply longer than " + 64 * MAX_REPLY + " bytes without EOM");
                }
            } catch (IllegalStateException e) {
                resync(tag);
                throw new ProtocolError("'" + command.strip() + "': " + e.getMessage());
            } catch (UsbException e) {
                if (e.kind() == UsbException.Kind.TIMEOUT) {
                    abortIn(tag);
                }
                throw e;
            }
        }
        return reply.toString(StandardCharsets.US_ASCII);
    }

    /**
     * After a reply that broke the protocol, the instrument and the host disagree on where they are: the
     * reply may have been a stale one with more behind it, or the instrument lost count. Abort the bulk-IN
     * transfer; if the instrument does not confirm the abort, clear it as when opening; then read away
     * whatever is still queued, so that the next reply read is the next query's.
     */
    private void resync(int tag) throws UsbException, InterruptedException {
        if (!abortIn(tag)) {
            clear();
        }
        for (int i = 0; i < PENDING_TRIES && drainIn(); i++) {
            // a packet read away; look for another
        }
    }

    /**
     * INITIATE_ABORT_BULK_IN, then CHECK_ABORT_BULK_IN_STATUS while pending, reading what is left.
     *
     * @return whether the instrument aborted the transfer or had none in progress
     */
    private boolean abortIn(int abortedTag) throws UsbException, InterruptedException {
        byte[] status = new byte[8];
        int n = link.control(0xA2, 3, abortedTag, in, status, 2, timeoutMs);
        if (n >= 1 && (status[0] & 0xFF) == STATUS_TRANSFER_NOT_IN_PROGRESS) {
            return true; // the transfer had completed: nothing to abort
        }
        if (n < 1 || status[0] != STATUS_SUCCESS) {
            return false; // FAILED: the instrument knows of no such transfer
        }
        for (int tries = 0; tries < PENDING_TRIES; tries++) {
            n = link.control(0xA2, 4, 0, in, status, 8, timeoutMs);
            if (n < 1 || status[0] != STATUS_PENDING) {
                return n >= 1 && status[0] == STATUS_SUCCESS;
            }
            drainIn();
        }
        return false;
    }

    /** INITIATE_ABORT_BULK_OUT, CHECK_ABORT_BULK_OUT_STATUS while pending, then clear the OUT halt. */
    private void abortOut(int abortedTag) throws UsbException, InterruptedException {
        byte[] status = new byte[8];
        int n = link.control(0xA2, 1, abortedTag, out, status, 2, timeoutMs);
        if (n < 1 || status[0] != STATUS_SUCCESS) {
            return;
        }
        for (int tries = 0; tries < PENDING_TRIES; tries++) {
            n = link.control(0xA2, 2, 0, out, status, 8, timeoutMs);
            if (n < 1 || status[0] != STATUS_PENDING) {
                break;
            }
            Thread.sleep(10);
        }
        link.clearHalt(out);
    }

    /** Reads one packet left on bulk IN, if any within 100 ms; returns whether there was one. */
    private boolean drainIn() throws UsbException {
        try {
            link.bulk(in, buffer, Math.max(inPacket, 64), 100);
            return true;
        } catch (UsbException e) {
            if (e.kind() != UsbException.Kind.TIMEOUT) {
                throw e;
            }
            return false;
        }
    }
}
