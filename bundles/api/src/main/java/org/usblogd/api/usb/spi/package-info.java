/** What a USB backend (libusb, the virtual bus) provides to the core; drivers never see it. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.usblogd.api.usb.spi;
