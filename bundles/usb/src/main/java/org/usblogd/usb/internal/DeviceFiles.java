package org.usblogd.usb.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** By configuration PID; Configuration Admin calls one at a time, stopping the manager reads it too. */
    private final Map<String, DeviceConfiguration> byPid = new ConcurrentHashMap<>();

    DeviceFiles(DeviceManager manager) {
        this.manager = manager;
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
            DeviceConfiguration added = new DeviceConfiguration(values);
            byPid.put(pid, added);
            manager.bindConfiguration(added);
            return;
        }
        known.modified(values);
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
