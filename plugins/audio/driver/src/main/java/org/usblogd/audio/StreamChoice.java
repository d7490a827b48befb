package org.usblogd.audio;

/** The outcome of choosing a capture setting: one to use, or why there is none. */
sealed interface StreamChoice {

    /** Use {@code setting} at {@code rate} frames per second. */
    record Chosen(CaptureSetting setting, int rate) implements StreamChoice {
    }

    record Unusable(String why) implements StreamChoice {
    }
}
