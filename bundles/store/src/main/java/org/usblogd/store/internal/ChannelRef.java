package org.usblogd.store.internal;

import org.usblogd.api.sample.Channel;

/**
 * A declared channel of a device. Its row id is resolved by each write transaction, never kept here. Equal to
 * another for the same device and channel: a device that comes back declares its channels again, and their
 * samples go on in the block they were filling.
 */
final class ChannelRef {
    final String deviceKey;
    final Channel channel;

    ChannelRef(String deviceKey, Channel channel) {
        this.deviceKey = deviceKey;
        this.channel = channel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelRef r && deviceKey.equals(r.deviceKey) && channel.equals(r.channel);
    }

    @Override
    public int hashCode() {
        return deviceKey.hashCode() * 31 + channel.hashCode();
    }

    @Override
    public String toString() {
        return deviceKey + "/" + channel.name();
    }
}
