package org.usblogd.api.driver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * One row of a driver's match table, declared on the driver class and written by bnd into the plugin's
 * manifest as a capability in {@link DeviceMatch#NAMESPACE}. Because the table is in the manifest, the core
 * scores devices, {@code usblogd udev-rules} writes permissions and {@code usblogd doctor} explains bindings
 * from the same rows, without running plugin code.
 *
 * <pre>
 * &#64;UsbMatch(driver = "co2mon", vid = "04d9", pid = "a052")
 * &#64;UsbMatch(driver = "sound", vid = "16c0", pid = "05dc", product = "WS13*")
 * </pre>
 *
 * Every element left out matches anything; see {@link DeviceMatch} for what each one means and how a row
 * scores.
 */
@Capability(namespace = DeviceMatch.NAMESPACE)
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(UsbMatch.Table.class)
public @interface UsbMatch {

    /** The {@link Driver#name()} of the driver this row selects. */
    @Attribute(DeviceMatch.DRIVER)
    String driver();

    /** idVendor, four hex digits. */
    @Attribute(DeviceMatch.VID)
    String vid() default "";

    /** idProduct, four hex digits. */
    @Attribute(DeviceMatch.PID)
    String pid() default "";

    /** Glob ({@code *}, {@code ?}) on the manufacturer string. */
    @Attribute(DeviceMatch.MANUFACTURER)
    String manufacturer() default "";

    /** Glob on the product string. */
    @Attribute(DeviceMatch.PRODUCT)
    String product() default "";

    /** Device or interface class, two hex digits, e.g. "fe" with subclass "03" for USBTMC. */
    @Attribute(DeviceMatch.CLASS)
    String usbClass() default "";

    @Attribute(DeviceMatch.SUBCLASS)
    String subclass() default "";

    @Attribute(DeviceMatch.PROTOCOL)
    String protocol() default "";

    /** Overrides the score the row's specificity earns; see {@link DeviceMatch#score()}. */
    @Attribute(DeviceMatch.SCORE)
    String score() default "";

    /**
     * The keys of the driver's own device settings, which it reads from {@code conf/org.usblogd.device-NAME.cfg}
     * besides the core's: literal, or with {@code *} standing for any part ({@code "scpi.*"},
     * {@code "audio.rate"}). The core and {@code usblogd check} accept them in a device file while the plugin is
     * installed, and report any other key as unknown. Rows of one driver may share them or split them.
     */
    @Attribute(DeviceMatch.SETTINGS)
    String[] settings() default {};

    /** The container the compiler uses for several rows on one class. */
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.TYPE)
    @interface Table {
        UsbMatch[] value();
    }
}
