package org.usblogd.usb.internal;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.store.SampleRecorder;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;

/** A recorder that keeps everything in memory, for looking at what the core reported. */
final class MemoryRecorder implements SampleRecorder {
    record Sample(String channel, long t, double value) {
    }

    record Event(String device, String kind, String message) {
    }

    final Queue<Event> events = new ConcurrentLinkedQueue<>();
    final Map<String, Queue<Sample>> samples = new ConcurrentHashMap<>();

    @Override
    public void deviceAttached(DeviceIdentity device, UsbDeviceInfo info, String backend) {
        events.add(new Event(device.key(), "device.attached", backend));
    }

    @Override
    public void driverBound(DeviceIdentity device, String driver) {
        events.add(new Event(device.key(), "driver.bound", driver));
    }

    @Override
    public void driverBound(DeviceIdentity device, String driver, String why) {
        events.add(new Event(device.key(), "driver.bound", driver + ": " + why));
    }

    @Override
    public void deviceDetached(DeviceIdentity device) {
        events.add(new Event(device.key(), "device.detached", null));
    }

    @Override
    public void event(DeviceIdentity device, String kind, String message) {
        events.add(new Event(device == null ? null : device.key(), kind, message));
    }

    @Override
    public SampleSink sink(DeviceIdentity device) {
        Queue<Sample> q = samples.computeIfAbsent(device.key(), k -> new ConcurrentLinkedQueue<>());
        return new SampleSink() {
            @Override
            public void declare(Channel channel) {
            }

            @Override
            public void accept(String channel, long timeMicros, double value) {
                q.add(new Sample(channel, timeMicros, value));
            }

            @Override
            public void event(String kind, String message) {
                events.add(new Event(device.key(), kind, message));
            }
        };
    }

    int sampleCount(String device) {
        Queue<Sample> q = samples.get(device);
        return q == null ? 0 : q.size();
    }

    List<Event> events(String device, String kind) {
        return events.stream().filter(e -> device.equals(e.device()) && e.kind().equals(kind)).toList();
    }
}
