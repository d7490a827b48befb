package org.usblogd.audio;

import java.util.OptionalDouble;

/**
 * One interval's levels under one frequency weighting, in {@code unit}.
 *
 * @param leq the equivalent continuous level: the mean energy of the interval
 * @param max Lmax, the highest Fast time-weighted level in the interval; empty while the Fast detector is
 *        still settling after the start (its first 625 ms)
 * @param min Lmin, the lowest, likewise
 * @param frames frames the levels were computed from
 * @param invalid samples that were NaN or infinite and counted as silence
 */
record Levels(Weighting weighting, double leq, OptionalDouble max, OptionalDouble min, long frames, long invalid,
        String unit) {
}
