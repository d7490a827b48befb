package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * The assembled daemon with NOTIFY_SOCKET pointing at a datagram socket this test listens on, as systemd
 * does for Type=notify with WatchdogSec: READY, STATUS and WATCHDOG at the right cadence, no keep-alives
 * while the store writer is wedged (the database paused), STOPPING on SIGTERM.
 */
class SystemdNotifyIT {
    record Message(long at, String text) {
    }

    @TempDir
    Path tmp;

    @Test
    void notifiesReadyStatusWatchdogOnlyWhileHealthyAndStopping() throws Exception {
        Path state = tmp.resolve("state");
        File socket = tmp.resolve("notify.sock").toFile();
        List<Message> received = new CopyOnWriteArrayList<>();
        try (AFUNIXDatagramSocket listener = AFUNIXDatagramSocket.newInstance()) {
            listener.bind(AFUNIXSocketAddress.of(socket));
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                while (!listener.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                        listener.receive(p);
                        String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                        received.add(new Message(System.currentTimeMillis(), text));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            reader.setDaemon(true);
            reader.start();

            ProcessBuilder pb = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--demo",
                    "--state", state.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("daemon.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", socket.getPath());
            pb.environment().put("WATCHDOG_USEC", "1000000"); // WatchdogSec=1: a keep-alive every 500 ms
            pb.environment().put("USBLOGD_JAVA_OPTS", "-Dusblogd.watchdog.stall.ms=1500");
            Process daemon = pb.start();
            long started = System.currentTimeMillis();
            try {
                Dist.await("READY=1", 20_000, () -> has(received, "READY=1"));
                System.out.println("READY=1 after " + (first(received, "READY=1").at() - started) + " ms");
                Thread.sleep(3_000);
                long now = System.currentTimeMillis();
                List<Long> keepAlives = times(received, "WATCHDOG=1", now - 3_000, now);
                assertThat(keepAlives.size()).as("keep-alives in 3 s").isBetween(4, 8);
                assertThat(maxInterval(keepAlives)).as("longest pause between keep-alives, ms").isLessThan(1_000);
                assertThat(received).anySatisfy(m -> assertThat(m.text()).startsWith("STATUS=")
                        .contains("device(s) logging").contains("samples/min"));

                try (Connection c = connect(state); Statement s = c.createStatement()) {
                    long wedged = System.currentTimeMillis();
                    s.execute("SET EXCLUSIVE 1"); // every other connection, the writer's too, now waits
                    Thread.sleep(4_500);
                    long end = System.currentTimeMillis();
                    assertThat(times(received, "WATCHDOG=1", wedged + 2_500, end)).as("keep-alives while wedged")
                            .isEmpty();
                    assertThat(received).anySatisfy(m -> assertThat(m.text()).contains("UNHEALTHY")
                            .contains("store-writer"));
                    s.execute("SET EXCLUSIVE 0");
                    long released = System.currentTimeMillis();
                    Dist.await("keep-alives again", 10_000,
                            () -> !times(received, "WATCHDOG=1", released, Long.MAX_VALUE).isEmpty());
                }
            } catch (AssertionError e) {
                System.out.println("received: " + received);
                System.out.println(Files.readString(tmp.resolve("daemon.log")));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            Dist.await("STOPPING=1", 5_000, () -> has(received, "STOPPING=1"));
        }
    }

    private static Connection connect(Path state) throws Exception {
        StoreLocation db = new StoreLocation(state);
        int port = Integer.parseInt(Files.readString(db.serverFile()).strip());
        return DriverManager.getConnection(db.serverUrl(port), StoreLocation.USER, db.password());
    }

    private static boolean has(List<Message> all, String text) {
        return all.stream().anyMatch(m -> m.text().equals(text));
    }

    private static Message first(List<Message> all, String text) {
        return all.stream().filter(m -> m.text().equals(text)).findFirst().orElseThrow();
    }

    private static List<Long> times(List<Message> all, String text, long from, long to) {
        return all.stream().filter(m -> m.text().equals(text) && m.at() >= from && m.at() <= to).map(Message::at)
                .toList();
    }

    private static long maxInterval(List<Long> times) {
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            max = Math.max(max, times.get(i) - times.get(i - 1));
        }
        return max;
    }
}
