/** Driver plugins register {@link org.usblogd.api.driver.Driver} services; the core runs their sessions. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package org.usblogd.api.driver;
