package org.usblogd.api.usb;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An asynchronous reader of one IN endpoint (bulk, interrupt or isochronous) that keeps several transfers
 * in flight so that no packet is missed between two reads, and hands completed transfers over in the order
 * they were submitted. Opened with {@link DeviceLink#openStream}; closed by the driver or, at the latest,
 * by the core when the session ends.
 */
@ProviderType
public interface InStream extends AutoCloseable {

    int endpoint();

    /**
     * Copies the next completed transfer into {@code buffer} and resubmits it. For isochronous endpoints the
     * data of the transfer's packets is concatenated, without gaps for short packets.
     *
     * @return the number of bytes copied
     * @throws UsbException TIMEOUT when nothing completed within {@code timeoutMs}; STALL or OVERFLOW for that
     *         transfer (the stream goes on); GONE or CLOSED when the stream has ended
     */
    int read(byte[] buffer, int timeoutMs) throws UsbException;

    /**
     * Like {@link #read(byte[], int)}, and says what each packet of the transfer brought: for isochronous
     * endpoints {@code packetLengths[i]} is the bytes packet i delivered (0 for an empty one) or
     * {@link #MISSING} when the packet failed (never arrived, CRC or bit-stuffing error, overrun); the data of
     * the packets that delivered is concatenated in {@code buffer} without gaps. Packets beyond
     * {@code packetLengths.length} are still copied and counted. For bulk and interrupt endpoints the
     * transfer is one packet. A failed packet never fails the read: only the whole transfer's failure does.
     *
     * @return the number of packets in the transfer
     * @since 1.3
     */
    default int readPackets(byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        int n = read(buffer, timeoutMs);
        if (packetLengths.length > 0) {
            packetLengths[0] = n;
        }
        return 1;
    }

    /** In {@link #readPackets}' lengths: a packet that did not arrive. @since 1.3 */
    int MISSING = -1;

    /** Transfers completed so far, including failed ones. */
    long completed();

    /** Cancels the transfers in flight and waits for them to come back. Idempotent; never throws. */
    @Override
    void close();
}
