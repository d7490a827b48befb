package org.usblogd.outputs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.usblogd.api.config.OneOf;
import org.usblogd.api.config.Range;

/** {@code conf/org.usblogd.output-NAME.cfg}: one output, where it forwards to and how. */
@ObjectClassDefinition(name = "usblogd output")
public @interface OutputConfig {
    /** The factory PID: files are {@code PID-NAME.cfg}. */
    String PID = "org.usblogd.output";

    @AttributeDefinition(description = "What the output forwards to: postgresql or mqtt")
    @OneOf({ "postgresql", "mqtt" })
    String type();

    @AttributeDefinition(description = "postgresql: jdbc:postgresql://HOST[:PORT]/DATABASE; mqtt: mqtt://HOST[:PORT]"
            + " or, with TLS, mqtts://HOST[:PORT]")
    String url() default "";

    @AttributeDefinition(description = "The database or broker user")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The database or broker user's password")
    String password() default "";

    @AttributeDefinition(description = "This logger's name in the shared tables; empty: the host name")
    String node() default "";

    @AttributeDefinition(description = "Most samples per transaction on the peer")
    @Range(min = 1, max = 100_000)
    int batch() default 1_000;

    @AttributeDefinition(description = "mqtt: the first level of every topic: TOPIC/NODE/DEVICE/CHANNEL")
    String topic() default "usblogd";

    @AttributeDefinition(description = "mqtt: a PEM file of the CA that signed the broker's certificate; empty:"
            + " the CAs Java trusts")
    String ca() default "";

    @AttributeDefinition(description = "mqtt: samples of one channel per message (1: one message per sample)")
    @Range(min = 1, max = 1_000)
    int samples_per_message() default 1;

    @AttributeDefinition(description = "mqtt: announce every channel as a sensor to Home Assistant's MQTT discovery")
    boolean homeassistant() default false;

    @AttributeDefinition(description = "mqtt: the discovery prefix Home Assistant listens on")
    String discovery_prefix() default "homeassistant";
}
