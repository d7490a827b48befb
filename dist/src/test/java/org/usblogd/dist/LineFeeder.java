package org.usblogd.dist;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feeds numbered lines ({@code n=123}) into QEMU's FTDI adapter through its unix socket at a steady rate,
 * remembering when each left the host (monotonic clock): the ground truth of what a power cut may have lost.
 * Numbers go on across runs.
 */
final class LineFeeder implements AutoCloseable {
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final long periodNanos;
    private volatile long next;
    private volatile boolean running;
    private Thread thread;

    LineFeeder(long first, int perSecond) {
        this.next = first;
        this.periodNanos = 1_000_000_000L / perSecond;
    }

    /** Starts feeding the socket; connects with retries while QEMU sets it up. */
    void start(Path socket) {
        running = true;
        thread = new Thread(() -> feed(socket), "line-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    private void feed(Path socket) {
        try (SocketChannel ch = connect(socket)) {
            long due = System.nanoTime();
            while (running) {
                long n = next;
                ByteBuffer line = ByteBuffer.wrap(("n=" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
                while (line.hasRemaining()) {
                    ch.write(line);
                }
                sentAt.put(n, System.nanoTime());
                next = n + 1;
                due += periodNanos;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the guest is gone: the cut
        }
    }

    private SocketChannel connect(Path socket) throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 200; i++) {
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(socket));
                return ch;
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    /** Stops feeding; returns the next number, where a later run goes on. */
    long stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
        return next;
    }

    /** When line {@code n} left the host (nanoTime), or null if it was not sent. */
    Long sentAt(long n) {
        return sentAt.get(n);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
