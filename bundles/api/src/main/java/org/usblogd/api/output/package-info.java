/**
 * The outputs that forward what the store committed to other systems (PostgreSQL): each one's state, for
 * {@code usblogd status}, the HTTP API and {@code /metrics}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.usblogd.api.output;
