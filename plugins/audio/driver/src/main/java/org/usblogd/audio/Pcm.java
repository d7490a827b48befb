package org.usblogd.audio;

/**
 * Decodes little-endian signed PCM (Audio Formats 1.0/2.0, type I) into samples where full scale is 1.0.
 * Samples sit in the most significant bits of their subslot, so dividing by the subslot's full scale is right
 * whatever bBitResolution says: 24 bits in a 4-byte subslot scale the same as 32. Never throws: a packet's
 * bytes past its last whole frame are counted as cut, and out-of-range offsets decode nothing.
 */
final class Pcm {

    private final int channels;
    private final int subslot;
    private final int frameBytes;
    private final double scale;
    private long frames;
    private long cutBytes;
    private long unfitFrames;

    /**
     * @param channels samples per frame, 1 or more
     * @param subslotBytes 2, 3 or 4
     */
    Pcm(int channels, int subslotBytes) {
        if (channels < 1 || subslotBytes < 2 || subslotBytes > 4) {
            throw new IllegalArgumentException(channels + " channels of " + subslotBytes + " bytes");
        }
        this.channels = channels;
        this.subslot = subslotBytes;
        this.frameBytes = channels * subslotBytes;
        this.scale = 1.0 / (1L << (8 * subslotBytes - 1));
    }

    int channels() {
        return channels;
    }

    int frameBytes() {
        return frameBytes;
    }

    /**
     * Decodes the whole frames among {@code length} bytes of {@code data} from {@code offset} into {@code out},
     * interleaved as they came, from index 0.
     *
     * @return the frames decoded; those that did not fit in {@code out} are counted in {@link #unfitFrames}
     */
    int decode(byte[] data, int offset, int length, double[] out) {
        if (data == null || out == null || offset < 0 || length <= 0 || offset >= data.length) {
            return 0;
        }
        int available = Math.min(length, data.length - offset);
        int whole = available / frameBytes;
        cutBytes += available - whole * frameBytes + (length - available);
        int fit = Math.min(whole, out.length / channels);
        unfitFrames += whole - fit;
        int at = offset;
        int n = fit * channels;
        switch (subslot) {
        case 2 -> {
            for (int i = 0; i < n; i++, at += 2) {
                out[i] = (short) ((data[at] & 0xFF) | data[at + 1] << 8) * scale;
            }
        }
        case 3 -> {
            for (int i = 0; i < n; i++, at += 3) {
                out[i] = ((data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | data[at + 2] << 16) * scale;
            }
        }
        default -> {
            for (int i = 0; i < n; i++, at += 4) {
                out[i] = ((data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16
                        | data[at + 3] << 24) * scale;
            }
        }
        }
        frames += fit;
        return fit;
    }

    /** Frames decoded so far. */
    long frames() {
        return frames;
    }

    /** Bytes that were no whole frame (the tail of a packet cut short), or past the end of the array. */
    long cutBytes() {
        return cutBytes;
    }

    /** Whole frames left undecoded because the output array was full: a caller's sizing mistake, counted. */
    long unfitFrames() {
        return unfitFrames;
    }
}
