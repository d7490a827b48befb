package org.usblogd.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the unframed byte stream of a serial line into lines: split on LF, CR stripped, the partial line
 * that was under way when reading started dropped, and lines longer than the cap cut off (the rest up to
 * the next LF is discarded, and the cut counted).
 */
final class LineAssembler {
    private final int maxLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean synced;
    private boolean overlong;
    private long cut;

    LineAssembler(int maxLine) {
        this.maxLine = maxLine;
    }

    List<String> add(byte[] data, int offset, int length) {
        List<String> lines = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (b == '\n') {
                if (synced && !overlong) {
                    lines.add(new String(line.toByteArray(), StandardCharsets.UTF_8));
                }
                synced = true;
                overlong = false;
                line.reset();
            } else if (b != '\r' && synced && !overlong) {
                if (line.size() >= maxLine) {
                    overlong = true;
                    cut++;
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }
        return lines;
    }

    /** Lines longer than the cap, cut off so far. */
    long cut() {
        return cut;
    }
}
