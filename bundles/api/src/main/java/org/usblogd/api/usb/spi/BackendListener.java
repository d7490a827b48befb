package org.usblogd.api.usb.spi;

import org.osgi.annotation.versioning.ProviderType;

/** Implemented by the core. The same {@link BackendDevice} instance is passed to both callbacks. */
@ProviderType
public interface BackendListener {

    void arrived(BackendDevice device);

    void left(BackendDevice device);
}
