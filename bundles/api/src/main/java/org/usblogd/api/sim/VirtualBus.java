package org.usblogd.api.sim;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The bus simulated devices are plugged into; the core sees them as it sees real ones. */
@ProviderType
public interface VirtualBus {

    /** Plugs the model into a free port; the core is told of the arrival. */
    PluggedDevice plug(DeviceModel model);

    List<PluggedDevice> devices();
}
