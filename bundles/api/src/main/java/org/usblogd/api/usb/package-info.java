/** USB device descriptions, stable identities and the link a driver uses to talk to its device. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.usblogd.api.usb;
