package org.usblogd.usb.internal.plugins;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.usb.internal.ComponentFileRules;

/** The rules of {@code conf/org.usblogd.plugins.cfg}, for {@link PluginMonitor} and {@code usblogd check}. */
public final class PluginMonitorConfigRules extends ComponentFileRules {
    static final ConfigCheck<PluginMonitor.Config> CHECK = ConfigCheck.of(PluginMonitor.Config.class);

    public PluginMonitorConfigRules() {
        super(PluginMonitor.PID, CHECK);
    }
}
