package org.usblogd.api.config;

/**
 * One thing wrong in a configuration file: which file, which key, the value found there and what would have
 * been right. {@link #toString()} is the log line, without what the component does about it.
 *
 * @param file the file as the administrator knows it (or the configuration's PID when it has no file)
 * @param key the key as written in the file
 * @param value the value as written
 * @param expected what the key takes; for an unknown key, the nearest known key
 * @param unknownKey whether the key itself is unknown (the rest of the file still applies)
 */
public record ConfigProblem(String file, String key, String value, String expected, boolean unknownKey) {

    @Override
    public String toString() {
        return unknownKey
                ? file + ": unknown key " + key + " = " + value + " is ignored (the nearest known key is " + expected + ")"
                : file + ": " + key + " = " + value + " is not valid: expected " + expected;
    }
}
