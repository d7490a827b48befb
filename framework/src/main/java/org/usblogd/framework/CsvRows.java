package org.usblogd.framework;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;

/**
 * Writes export rows as CSV bytes, exactly as {@code Instant.toString()}, the quoted fields and
 * {@code Double.toString} print them, at a fraction of the cost: a channel-day is 864,000 rows, and building
 * each through strings, the date formatter and the charset encoder took most of an export's time. The
 * date and time up to the second is formatted once per second (samples of a second share it), the quoted
 * fields once per distinct text, and a row goes into one reused buffer.
 */
final class CsvRows {
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private final Map<String, byte[]> fields = new HashMap<>();
    private byte[] buf = new byte[FLUSH_AT + 512];
    private int n;
    private long second = Long.MIN_VALUE;
    private byte[] secondText;

    CsvRows(OutputStream out) {
        this.out = out;
    }

    void header(String line) throws IOException {
        bytes(line.getBytes(StandardCharsets.UTF_8));
    }

    void sample(StoredSample s) throws IOException {
        time(s.timeMicros());
        comma();
        field(s.device());
        comma();
        field(s.channel());
        comma();
        ascii(Double.toString(s.value()));
        comma();
        field(s.unit());
        newline();
    }

    void summary(StoredSummary s) throws IOException {
        time(s.timeMicros());
        comma();
        field(s.device());
        comma();
        field(s.channel());
        comma();
        ascii(Double.toString(s.min()));
        comma();
        ascii(Double.toString(s.max()));
        comma();
        ascii(Double.toString(s.mean()));
        comma();
        ascii(Long.toString(s.count()));
        comma();
        field(s.unit());
        newline();
    }

    void flush() throws IOException {
        out.write(buf, 0, n);
        n = 0;
        out.flush();
    }

    /** As {@code Instant.toString()}: the fraction in groups of three digits, none when it is zero. */
    private void time(long micros) {
        long s = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        if (s != second) {
            String text = Micros.toInstant(s * 1_000_000L).toString();
            secondText = text.substring(0, text.length() - 1).getBytes(StandardCharsets.US_ASCII); // without Z
            second = s;
        }
        bytes(secondText);
        if (fraction != 0) {
            room(8);
            buf[n++] = '.';
            if (fraction % 1_000 == 0) {
                digits(fraction / 1_000, 3);
            } else {
                digits(fraction, 6);
            }
        }
        room(1);
        buf[n++] = 'Z';
    }

    private void digits(int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            buf[n + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        n += count;
    }

    private void field(String s) {
        bytes(fields.computeIfAbsent(s == null ? "" : s,
                k -> ExportCommand.csvField(k).getBytes(StandardCharsets.UTF_8)));
    }

    private void ascii(String s) {
        int len = s.length();
        room(len);
        for (int i = 0; i < len; i++) {
            buf[n++] = (byte) s.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    private void comma() {
        room(1);
        buf[n++] = ',';
    }

    private void newline() throws IOException {
        room(1);
        buf[n++] = '\n';
        if (n >= FLUSH_AT) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    private void room(int more) {
        if (n + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }
}
