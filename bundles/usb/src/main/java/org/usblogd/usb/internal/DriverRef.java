package org.usblogd.usb.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Version;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;

/**
 * A registered driver with its match table and what decides between equal scores: service ranking first,
 * then the newer bundle version (so an update wins over the old jar while both are present), then the older
 * registration. An empty table means the driver matches in code ({@link Driver#match}). The configuration is
 * the driver's service properties as its file set them: when they change, its sessions start again with them.
 */
record DriverRef(Driver driver, String name, int ranking, Version version, long serviceId, List<DeviceMatch> table,
        Map<String, String> configuration) {

    static final Comparator<DriverRef> PREFERENCE = Comparator.comparingInt(DriverRef::ranking)
            .thenComparing(DriverRef::version)
            .thenComparing(Comparator.comparingLong(DriverRef::serviceId).reversed());

    DriverRef {
        table = List.copyOf(table);
        configuration = Map.copyOf(configuration);
    }

    /** A driver that is not configured by a file. */
    DriverRef(Driver driver, String name, int ranking, Version version, long serviceId, List<DeviceMatch> table) {
        this(driver, name, ranking, version, serviceId, table, Map.of());
    }

    /** The configuration file of a driver configured by one ({@code serial}, {@code hid}); null for others. */
    String file() {
        return configuration.containsKey("felix.fileinstall.filename") ? ConfigCheck.file(configuration) : null;
    }

    /** A driver that matches in code. */
    DriverRef(Driver driver, String name, int ranking, Version version, long serviceId) {
        this(driver, name, ranking, version, serviceId, List.of());
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
