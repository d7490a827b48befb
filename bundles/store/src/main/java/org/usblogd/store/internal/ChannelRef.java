package org.usblogd.store.internal;

import org.usblogd.api.sample.Channel;

/** A declared channel of a device. Its row id is resolved by each write transaction, never kept here. */
final class ChannelRef {
    final String deviceKey;
    final Channel channel;

    ChannelRef(String deviceKey, Channel channel) {
        this.deviceKey = deviceKey;
        this.channel = channel;
    }

    @Override
    public String toString() {
        return deviceKey + "/" + channel.name();
    }
}
