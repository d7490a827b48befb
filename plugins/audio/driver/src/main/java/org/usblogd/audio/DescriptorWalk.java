package org.usblogd.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a run of USB descriptors (bLength, bDescriptorType, ...) as GET_DESCRIPTOR(CONFIGURATION) returns
 * them. A descriptor shorter than 2 bytes or one that runs past the end stops the walk: nothing after it can
 * be trusted, because the next descriptor's start is only known from this one's length. Each step moves at
 * least 2 bytes, so the walk ends on any input.
 */
final class DescriptorWalk {

    private final List<Descriptor> descriptors;
    private final String stoppedBecause;

    private DescriptorWalk(List<Descriptor> descriptors, String stoppedBecause) {
        this.descriptors = List.copyOf(descriptors);
        this.stoppedBecause = stoppedBecause;
    }

    static DescriptorWalk of(byte[] bytes) {
        List<Descriptor> out = new ArrayList<>();
        if (bytes == null) {
            return new DescriptorWalk(out, "no descriptor bytes");
        }
        int at = 0;
        while (at < bytes.length) {
            if (at + 2 > bytes.length) {
                return new DescriptorWalk(out, "a lone byte at offset " + at + " after the last descriptor");
            }
            int length = bytes[at] & 0xFF;
            if (length < 2) {
                return new DescriptorWalk(out, "descriptor at offset " + at + " has bLength " + length);
            }
            if (at + length > bytes.length) {
                return new DescriptorWalk(out, "descriptor at offset " + at + " (bLength " + length + ") runs "
                        + (at + length - bytes.length) + " bytes past the end");
            }
            out.add(new Descriptor(bytes, at, length));
            at += length;
        }
        return new DescriptorWalk(out, null);
    }

    List<Descriptor> descriptors() {
        return descriptors;
    }

    /** Why the walk ended before the last byte, or null when every byte belonged to a descriptor. */
    String stoppedBecause() {
        return stoppedBecause;
    }
}
