package org.usblogd.api.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.usblogd.api.driver.DeviceMatch;

/**
 * What a driver configured per device by a file ({@code conf/PID-NAME.cfg}) runs on: the file's last good
 * content. A file with a mistake never fails the driver's component (Declarative Services would print its
 * stack trace and leave nothing to correct the file into): a new file takes no device until it is
 * corrected, an edit of a running driver's file leaves the driver on the content it had.
 *
 * @param <S> what the driver makes of a right file; its {@link #row} names the device
 */
public final class LastGoodFile<S> {
    private final String factoryPid;
    private final Function<Map<String, Object>, S> parse;
    private final Function<S, DeviceMatch> row;
    private volatile S content;
    /** The name the file gives the driver, right or not: what the data and the log call it. */
    private volatile String name;

    /**
     * @param parse what the driver makes of the file's properties; throws IllegalArgumentException with one
     *            line naming the file and the mistake
     */
    public LastGoodFile(String factoryPid, Function<Map<String, Object>, S> parse, Function<S, DeviceMatch> row) {
        this.factoryPid = factoryPid;
        this.parse = parse;
        this.row = row;
    }

    /**
     * Reads a new version of the file.
     *
     * @return the line to log when it is wrong, saying what the driver does meanwhile; empty when applied
     */
    public Optional<String> apply(Map<String, Object> properties) {
        name = DriverFile.driverName(factoryPid, properties);
        try {
            content = parse.apply(properties);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            S last = content;
            return Optional.of(e.getMessage() + "; " + (last == null
                    ? "no device is taken by this file until it is corrected"
                    : "the driver " + row.apply(last).driver() + " keeps running on the file's last good content"));
        }
    }

    /** The last good content; empty while the file has never been right. */
    public Optional<S> content() {
        return Optional.ofNullable(content);
    }

    /** The driver's name: the last good content's, else the one the file gives. */
    public String name() {
        S c = content;
        return c == null ? name : row.apply(c).driver();
    }

    /** The last good content's match row; none while the file has never been right, so no device is taken. */
    public java.util.List<DeviceMatch> rows() {
        S c = content;
        return c == null ? java.util.List.of() : java.util.List.of(row.apply(c));
    }
}
