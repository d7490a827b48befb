package org.usblogd.api.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a component applies to its configuration file, held in one place so that the component and
 * {@code usblogd check} apply the very same ones: what is wrong in a file, which devices it is about, and
 * what the file's driver would record from a line or a report.
 *
 * <p>A bundle lists its implementations in {@code META-INF/services/org.usblogd.api.config.ConfigRules}; each
 * has a public constructor without arguments and needs nothing but the API and its own bundle's classes, so
 * that the command line can load it from the jar without starting the bundle.
 */
public interface ConfigRules {
    /** Trial input: a line as a serial device prints it. */
    String LINE = "line";
    /** Trial input: a HID input report, as hexadecimal bytes. */
    String REPORT = "report";

    /** The configuration PID: {@code org.usblogd.store} for {@code org.usblogd.store.cfg}, the factory PID
     * {@code org.usblogd.serial} for {@code org.usblogd.serial-NAME.cfg}. */
    String pid();

    /** Whether the files are {@code PID-NAME.cfg}, one component (one driver, one device's settings) each. */
    boolean factory();

    /**
     * Everything wrong in one file's properties, one line each as the component logs it (naming the file, the
     * key, the value and what it takes), without what the component does about it; empty when the file is
     * right. An unknown key is a line too: the component ignores it, which is not what its writer meant.
     *
     * @param properties the file's properties as Configuration Admin hands them over, with
     *            {@code felix.fileinstall.filename}
     */
    List<String> problems(Map<String, ?> properties);

    /**
     * The same rules with the device settings keys the installed drivers declare on their match rows
     * ({@code UsbMatch#settings()}): the rules of device settings files accept them; every other file's rules
     * return themselves.
     *
     * @param patterns key patterns such as {@code scpi.*}, of every installed driver
     */
    default ConfigRules withDriverSettings(Collection<String> patterns) {
        return this;
    }

    /** Which devices a right file is about; empty for a file that is about no device. */
    default Optional<ConfigSelection> selection(Map<String, ?> properties) {
        return Optional.empty();
    }

    /** The trial inputs the file's driver reads: {@link #LINE}, {@link #REPORT}, or none. */
    default Set<String> trialInputs() {
        return Set.of();
    }

    /**
     * What the driver of a right file would record from one input, as it would decode it.
     *
     * @param kind {@link #LINE} or {@link #REPORT}, one of {@link #trialInputs()}
     * @throws IllegalArgumentException when the input cannot be read as that kind (a report that is no hex)
     */
    default ConfigTrial trial(Map<String, ?> properties, String kind, String input) {
        throw new IllegalArgumentException(pid() + " files take no trial input");
    }
}
