package org.usblogd.outputs.internal;

/**
 * Where an output forwards to. Used by the output's one thread only. {@link #send} returns only once the peer
 * has committed the batch: the output moves its cursor after that, never before.
 */
interface Peer extends AutoCloseable {
    /** Connects (if not connected) and sends one batch; throws when it is not committed. */
    void send(Batch batch) throws Exception;

    /** Connects if not connected, with nothing to send: to learn that the peer is back. */
    void connect() throws Exception;

    boolean connected();

    /** Breaks off what the output's thread is doing on the connection; the only method other threads may call. */
    void abort();

    /** Drops the connection; the next {@link #send} makes a new one. Never throws. */
    @Override
    void close();

    /**
     * Drops the connection as the output stops (its file changed or went, the daemon stops), telling the peer
     * so where it keeps track; after failures {@link #close} drops it without a word. Never throws.
     */
    default void leave() {
        close();
    }
}
