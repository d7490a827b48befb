package org.usblogd.audio;

import java.util.List;

/**
 * The levels of one interval under each weighting, and what the stream lost during it.
 *
 * @param index 0 for the first interval since the chain started
 * @param levels one entry per weighting, in the order the chain was given them
 * @param droppedPackets packets that never arrived or arrived empty
 * @param cutBytes bytes of packets that ended inside a frame, left undecoded
 */
record Interval(long index, List<Levels> levels, long droppedPackets, long cutBytes) {

    Interval {
        levels = List.copyOf(levels);
    }

    Levels of(Weighting w) {
        for (Levels l : levels) {
            if (l.weighting() == w) {
                return l;
            }
        }
        throw new IllegalArgumentException("no " + w + " weighting in this interval");
    }
}
