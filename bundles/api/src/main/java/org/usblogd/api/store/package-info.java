/** Recording into and querying from the sample store. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.usblogd.api.store;
