package org.usblogd.dist;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** A datagram socket standing in for systemd's NOTIFY_SOCKET: it keeps every message with its arrival time. */
final class NotifyListener implements AutoCloseable {
    record Message(long at, String text) {
    }

    private final AFUNIXDatagramSocket socket;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    NotifyListener(Path path) throws IOException {
        socket = AFUNIXDatagramSocket.newInstance();
        socket.bind(AFUNIXSocketAddress.of(path.toFile()));
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    received.add(new Message(System.currentTimeMillis(),
                            new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return;
                }
            }
        }, "notify-listener");
        reader.setDaemon(true);
        reader.start();
    }

    List<Message> received() {
        return received;
    }

    boolean has(String text) {
        return received.stream().anyMatch(m -> m.text().equals(text));
    }

    boolean hasStatusContaining(String text) {
        return received.stream().anyMatch(m -> m.text().startsWith("STATUS=") && m.text().contains(text));
    }

    Message first(String text) {
        return received.stream().filter(m -> m.text().equals(text)).findFirst().orElseThrow();
    }

    List<Long> times(String text, long from, long to) {
        return received.stream().filter(m -> m.text().equals(text) && m.at() >= from && m.at() <= to)
                .map(Message::at).toList();
    }

    static long maxInterval(List<Long> times) {
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            max = Math.max(max, times.get(i) - times.get(i - 1));
        }
        return max;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
