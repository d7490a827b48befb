package org.usblogd.framework;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.usblogd.api.store.StoredSummary;

/**
 * Writes export rows as CSV bytes, exactly as {@code Instant.toString()}, the quoted fields and
 * {@code Double.toString} print them, at a fraction of the cost: a channel-day is 864,000 rows, and building
 * each through strings, the date formatter and the charset encoder took most of an export's time. The
 * date and time up to the second is formatted once per second (samples of a second share it), the quoted
 * fields once per distinct text, values by {@link DoubleText}, and a row goes into one reused buffer.
 */
final class CsvRows {
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private static final int DEVICE = 0;
    private static final int CHANNEL = 1;
    private static final int UNIT = 2;

    private final Map<String, byte[]> fields = new HashMap<>();
    private final String[] lastText = new String[3];
    private final byte[][] lastBytes = new byte[3][];
    private byte[] buf = new byte[FLUSH_AT + 512];
    private int n;
    private long second = Long.MIN_VALUE;
    private long day;
    /** The date and time of {@link #second}, to the second, without a zone. */
    private byte[] secondText;

    CsvRows(OutputStream out) {
        this.out = out;
    }

    void header(String line) throws IOException {
        bytes(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Samples {@code from} to {@code to} (exclusive) of one channel, a row each. */
    void samples(String device, String channel, String unit, long[] times, double[] values, int from, int to)
            throws IOException {
        for (int i = from; i < to; i++) {
            row(times[i], device, channel, values[i], unit);
        }
    }

    private void row(long timeMicros, String device, String channel, double value, String unit) throws IOException {
        time(timeMicros);
        comma();
        field(DEVICE, device);
        comma();
        field(CHANNEL, channel);
        comma();
        number(value);
        comma();
        field(UNIT, unit);
        newline();
    }

    void summary(StoredSummary s) throws IOException {
        time(s.timeMicros());
        comma();
        field(DEVICE, s.device());
        comma();
        field(CHANNEL, s.channel());
        comma();
        number(s.min());
        comma();
        number(s.max());
        comma();
        number(s.mean());
        comma();
        ascii(Long.toString(s.count()));
        comma();
        field(UNIT, s.unit());
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
            second(s);
        }
        bytes(secondText);
        room(8);
        if (fraction != 0) {
            buf[n++] = '.';
            if (fraction % 1_000 == 0) {
                AsciiDigits.three(fraction / 1_000, buf, n);
                n += 3;
            } else {
                AsciiDigits.three(fraction / 1_000, buf, n);
                AsciiDigits.three(fraction % 1_000, buf, n + 3);
                n += 6;
            }
        }
        buf[n++] = 'Z';
    }

    /** The date from {@code Instant.toString()} once a day, the time of day from digits: 86,400 a channel-day. */
    private void second(long s) {
        long d = Math.floorDiv(s, 86_400L);
        if (d != day || secondText == null) {
            // in seconds: the day's first microsecond is beyond a long for the earliest times
            String text = Instant.ofEpochSecond(d * 86_400L).toString();
            byte[] date = text.substring(0, text.indexOf('T') + 1).getBytes(StandardCharsets.US_ASCII);
            secondText = java.util.Arrays.copyOf(date, date.length + 8);
            secondText[date.length + 2] = ':';
            secondText[date.length + 5] = ':';
            day = d;
        }
        int at = secondText.length - 8;
        int ofDay = (int) (s - d * 86_400L);
        AsciiDigits.two(ofDay / 3_600, secondText, at);
        AsciiDigits.two(ofDay / 60 % 60, secondText, at + 3);
        AsciiDigits.two(ofDay % 60, secondText, at + 6);
        second = s;
    }

    /** Rows in a row mostly carry the very same texts: looked up only when a column's text changes. */
    private void field(int column, String s) {
        if (s != lastText[column] || lastBytes[column] == null) {
            lastText[column] = s;
            lastBytes[column] = fields.computeIfAbsent(s == null ? "" : s,
                    k -> ExportCommand.csvField(k).getBytes(StandardCharsets.UTF_8));
        }
        bytes(lastBytes[column]);
    }

    private void number(double v) {
        room(DoubleText.MOST_BYTES);
        int end = DoubleText.write(v, buf, n);
        if (end < 0) {
            ascii(Double.toString(v));
        } else {
            n = end;
        }
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
