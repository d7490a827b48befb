package org.usblogd.api.sim;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A device family's part of the demo: the twins {@code usblogd run --demo} plugs into the virtual bus. A
 * family's twin bundle registers one as a service; the demo plugs in the models of each one it finds and
 * unplugs them when the service goes. Tests that plug the same twins elsewhere (umockdev) ask it too, so the
 * demo and the tests see the same devices.
 */
@ConsumerType
public interface DemoModels {

    /** New models, each to be plugged in once; {@code seed} makes their noise repeatable. */
    List<DeviceModel> models(long seed);
}
