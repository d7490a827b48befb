/** Device models for the virtual bus: byte-faithful twins that tests, the demo and plugin authors plug in. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.usblogd.api.sim;
