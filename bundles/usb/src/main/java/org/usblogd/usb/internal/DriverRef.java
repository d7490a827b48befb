package org.usblogd.usb.internal;

import java.util.Comparator;

import org.osgi.framework.Version;
import org.usblogd.api.driver.Driver;

/**
 * A registered driver with what decides between equal scores: service ranking first, then the newer bundle
 * version (so an update wins over the old jar while both are present), then the older registration.
 */
record DriverRef(Driver driver, String name, int ranking, Version version, long serviceId) {

    static final Comparator<DriverRef> PREFERENCE = Comparator.comparingInt(DriverRef::ranking)
            .thenComparing(DriverRef::version)
            .thenComparing(Comparator.comparingLong(DriverRef::serviceId).reversed());

    @Override
    public String toString() {
        return name + " " + version;
    }
}
