package org.usblogd.usb.internal.libusb;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.usb.internal.ComponentFileRules;

/** The rules of {@code conf/org.usblogd.usb.libusb.cfg}, for {@link LibUsbBackend} and {@code usblogd check}. */
public final class LibUsbConfigRules extends ComponentFileRules {
    static final ConfigCheck<LibUsbBackend.Config> CHECK = ConfigCheck.of(LibUsbBackend.Config.class,
            "usblogd.health");

    public LibUsbConfigRules() {
        super(LibUsbBackend.PID, CHECK);
    }
}
