package org.usblogd.framework;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rows printed in columns as wide as their widest cell, two spaces apart; the last column is not padded,
 * so no line ends in blanks. Columns named as right-aligned (counts) line up on their last digit.
 */
final class TextTable {
    private final List<String> headers;
    private final Set<Integer> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers, Set<Integer> rightAligned) {
        this.headers = List.copyOf(headers);
        this.rightAligned = Set.copyOf(rightAligned);
    }

    /** One row, a cell per column; null cells print as '-'. */
    void add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(c -> c == null || c.isEmpty() ? "-" : c).toList());
    }

    void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    private void line(PrintStream out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String pad = " ".repeat(widths[i] - cell.length());
            if (rightAligned.contains(i)) {
                b.append(pad).append(cell);
            } else {
                b.append(cell);
                if (!last) {
                    b.append(pad);
                }
            }
            if (!last) {
                b.append("  ");
            }
        }
        out.println(b);
    }
}
