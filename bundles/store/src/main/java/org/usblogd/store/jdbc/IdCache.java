package org.usblogd.store.jdbc;

import java.util.HashMap;
import java.util.Map;

import org.usblogd.api.sample.Channel;

/**
 * Row ids of devices and channels known to be committed. Only a successful commit adds to it
 * ({@link WriteTransaction#commit()}), so a rolled-back transaction never leaves an id behind; after any
 * failed write the writer clears it, because the database may have reopened at an earlier commit.
 * One writer thread only.
 */
public final class IdCache {
    final Map<String, Integer> devices = new HashMap<>();
    final Map<String, Integer> channels = new HashMap<>();

    public void clear() {
        devices.clear();
        channels.clear();
    }

    /** Forgets the rows of a device that has been quiet for long, so that years of devices do not pile up. */
    public void forget(String deviceKey) {
        devices.remove(deviceKey);
        channels.keySet().removeIf(k -> k.startsWith(deviceKey + '\u0000'));
    }

    /** A channel has a row per unit ({@link Schema}). */
    static String channelKey(String deviceKey, Channel channel) {
        return deviceKey + '\u0000' + channel.name() + '\u0000' + channel.unit();
    }
}
