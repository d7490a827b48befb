/** Where decoded samples go, with their channels and units. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.usblogd.api.sample;
