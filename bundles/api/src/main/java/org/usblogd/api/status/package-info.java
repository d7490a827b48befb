/**
 * What {@code usblogd status} and {@code usblogd devices} say, as one service: whether the daemon runs, how
 * its store fares, each device's state, channels and newest values. The command line computes the same
 * records from the files on disk; inside the daemon the store provides them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.usblogd.api.status;
