package org.usblogd.api.usb;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * A device as enumerated: descriptor fields, its strings (null when the device has none or they could
 * not be read), every configuration and where it sits on the bus. Immutable.
 *
 * @param bcdDevice device release number, e.g. 0x0200
 * @param portPath bus number and port chain, e.g. "1-1.4"; stable while the device stays in that socket
 * @param address bus address; changes on every replug, so never use it as identity
 * @param configurations every configuration the device offers, in descriptor order
 * @param activeConfiguration bConfigurationValue of the active configuration; 0 when unconfigured
 * @param speed the speed the device was enumerated at; {@link UsbSpeed#UNKNOWN} when the backend cannot tell
 */
public record UsbDeviceInfo(int vendorId, int productId, int bcdDevice, int deviceClass, int deviceSubClass,
        int deviceProtocol, String manufacturer, String product, String serialNumber, String portPath,
        int address, List<UsbConfigurationInfo> configurations, int activeConfiguration, UsbSpeed speed) {

    /** @since 1.3 */
    public UsbDeviceInfo {
        Objects.requireNonNull(portPath, "portPath");
        configurations = List.copyOf(configurations);
        speed = speed == null ? UsbSpeed.UNKNOWN : speed;
    }

    /** A device whose speed is not known. */
    public UsbDeviceInfo(int vendorId, int productId, int bcdDevice, int deviceClass, int deviceSubClass,
            int deviceProtocol, String manufacturer, String product, String serialNumber, String portPath,
            int address, List<UsbConfigurationInfo> configurations, int activeConfiguration) {
        this(vendorId, productId, bcdDevice, deviceClass, deviceSubClass, deviceProtocol, manufacturer, product,
                serialNumber, portPath, address, configurations, activeConfiguration, UsbSpeed.UNKNOWN);
    }

    /** A device with a single configuration (value 1, active) holding these interfaces. */
    public UsbDeviceInfo(int vendorId, int productId, int bcdDevice, int deviceClass, int deviceSubClass,
            int deviceProtocol, String manufacturer, String product, String serialNumber, String portPath,
            int address, List<UsbInterfaceInfo> interfaces) {
        this(vendorId, productId, bcdDevice, deviceClass, deviceSubClass, deviceProtocol, manufacturer, product,
                serialNumber, portPath, address, List.of(UsbConfigurationInfo.of(interfaces)), 1);
    }

    /** The interfaces of the active configuration, or of the first one when the device is unconfigured. */
    public List<UsbInterfaceInfo> interfaces() {
        return configuration().map(UsbConfigurationInfo::interfaces).orElse(List.of());
    }

    /** The active configuration, or the first one when the device is unconfigured. */
    public Optional<UsbConfigurationInfo> configuration() {
        return configurations.stream().filter(c -> c.value() == activeConfiguration).findFirst()
                .or(() -> configurations.stream().findFirst());
    }

    /**
     * The endpoint with this address in any alternate setting of the active configuration. Alternate settings
     * may describe the same address differently (an audio interface's packet size grows with its format):
     * when the selected setting matters, use {@link #endpoint(int, IntUnaryOperator)}.
     */
    public Optional<UsbEndpointInfo> endpoint(int address) {
        return interfaces().stream().flatMap(i -> i.endpoints().stream()).filter(e -> e.address() == address)
                .findFirst();
    }

    /**
     * The endpoint with this address in the selected alternate setting of its interface.
     *
     * @param selected the alternate setting selected on an interface number (0 for one never selected)
     * @since 1.3
     */
    public Optional<UsbEndpointInfo> endpoint(int address, IntUnaryOperator selected) {
        return interfaces().stream().filter(i -> i.alternate() == selected.applyAsInt(i.number()))
                .flatMap(i -> i.endpoints().stream()).filter(e -> e.address() == address).findFirst();
    }

    /** The same device, enumerated at this speed. @since 1.3 */
    public UsbDeviceInfo withSpeed(UsbSpeed newSpeed) {
        return new UsbDeviceInfo(vendorId, productId, bcdDevice, deviceClass, deviceSubClass, deviceProtocol,
                manufacturer, product, serialNumber, portPath, address, configurations, activeConfiguration, newSpeed);
    }

    /** The same device seen at another place on a bus. */
    public UsbDeviceInfo at(String newPortPath, int newAddress) {
        return new UsbDeviceInfo(vendorId, productId, bcdDevice, deviceClass, deviceSubClass, deviceProtocol,
                manufacturer, product, serialNumber, newPortPath, newAddress, configurations, activeConfiguration, speed);
    }

    public DeviceIdentity identity() {
        return DeviceIdentity.of(this);
    }

    /** "04d9:a052" */
    public String vidPid() {
        return String.format("%04x:%04x", vendorId, productId);
    }

    @Override
    public String toString() {
        return vidPid() + " " + (product == null ? "?" : product) + " at " + portPath + " addr " + address;
    }
}
