package org.usblogd.api.status;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.usblogd.api.store.StoreException;

/** The daemon's status and its devices, as the command line shows them; provided by the store. */
@ProviderType
public interface StatusService {
    /** What {@code usblogd status --format json} prints. */
    Status status() throws StoreException;

    /** What {@code usblogd devices --format json} prints, each channel with its newest value. */
    List<DeviceStatus> deviceStatus() throws StoreException;
}
