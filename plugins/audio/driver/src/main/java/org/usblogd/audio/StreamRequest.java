package org.usblogd.audio;

/**
 * What the user asks of the stream; 0 for channels or bits means any of those the decoder takes.
 *
 * @param rate frames per second
 * @param channels 1, 2 or 0 (any)
 * @param bits bit resolution, or 0 (any)
 */
record StreamRequest(int rate, int channels, int bits) {

    /** The rates tried, in order, when the user names none: what most microphones run at natively. */
    static final int[] DEFAULT_RATES = { 48000, 44100, 32000, 96000, 24000, 22050, 16000, 8000 };

    boolean accepts(CaptureSetting s) {
        return (channels == 0 || s.channels() == channels) && (bits == 0 || s.bitResolution() == bits);
    }
}
