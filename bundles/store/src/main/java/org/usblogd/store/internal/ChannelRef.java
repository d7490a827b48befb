package org.usblogd.store.internal;

import org.usblogd.api.sample.Channel;

/** A declared channel of a device; its row id is filled in by the writer thread when it declares it. */
final class ChannelRef {
    final String deviceKey;
    final Channel channel;
    /** Written and read only by the writer thread. */
    int id = -1;
    /** Whether the writer has logged this channel's first stored sample. Writer thread only. */
    boolean firstLogged;
    /** The device was never recorded: the channel cannot be, and its samples are dropped. Writer thread only. */
    boolean undeclarable;

    ChannelRef(String deviceKey, Channel channel) {
        this.deviceKey = deviceKey;
        this.channel = channel;
    }
}
