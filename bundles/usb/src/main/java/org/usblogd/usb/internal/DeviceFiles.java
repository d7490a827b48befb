package org.usblogd.usb.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.cm.ManagedServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device settings files ({@code conf/org.usblogd.device-NAME.cfg}, factory PID
 * {@value DeviceConfiguration#FACTORY_PID}) as Configuration Admin delivers them, each made into a
 * {@link DeviceConfiguration} for the device manager. Only the device manager reads them, so they are not
 * services of their own: the device manager registers this factory while it runs.
 */
final class DeviceFiles implements ManagedServiceFactory {
    private static final Logger log = LoggerFactory.getLogger(DeviceFiles.class);

    private final DeviceManager manager;
    /** Asked for each file: a driver's keys are known while its plugin is there. */
    private final Supplier<DeviceSettingsRules> rules;
    /** By configuration PID; Configuration Admin calls one at a time, stopping the manager reads it too. */
    private final Map<String, DeviceConfiguration> byPid = new ConcurrentHashMap<>();

    DeviceFiles(DeviceManager manager, Supplier<DeviceSettingsRules> rules) {
        this.manager = manager;
        this.rules = rules;
    }

    @Override
    public String getName() {
        return "usblogd device settings";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
        Map<String, Object> values = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            values.put(key, properties.get(key));
        }
        DeviceConfiguration known = byPid.get(pid);
        if (known == null) {
            // a file that names no device is said once by the configuration and selects none
            DeviceConfiguration added = new DeviceConfiguration(values, rules.get());
            byPid.put(pid, added);
            manager.bindConfiguration(added);
            return;
        }
        known.modified(values, rules.get());
        manager.updatedConfiguration(known);
    }

    @Override
    public void deleted(String pid) {
        DeviceConfiguration removed = byPid.remove(pid);
        if (removed != null) {
            manager.unbindConfiguration(removed);
        }
    }
}
