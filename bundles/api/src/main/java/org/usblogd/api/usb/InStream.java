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

    /** Transfers completed so far, including failed ones. */
    long completed();

    /** Cancels the transfers in flight and waits for them to come back. Idempotent; never throws. */
    @Override
    void close();
}
