package org.usblogd.usb.internal;

import org.usblogd.api.config.ConfigCheck;

/** The rules of {@code conf/org.usblogd.usb.cfg}, for {@link DeviceManager} and {@code usblogd check}. */
public final class CoreConfigRules extends ComponentFileRules {
    static final ConfigCheck<DeviceManager.Config> CHECK = ConfigCheck.of(DeviceManager.Config.class, org.usblogd.api.health.HealthCheck.PART);

    public CoreConfigRules() {
        super(DeviceManager.PID, CHECK);
    }
}
