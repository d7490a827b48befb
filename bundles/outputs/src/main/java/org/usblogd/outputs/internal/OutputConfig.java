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

    @AttributeDefinition(description = "What the output forwards to: postgresql")
    @OneOf({ "postgresql" })
    String type();

    @AttributeDefinition(description = "The database: jdbc:postgresql://HOST[:PORT]/DATABASE")
    String url() default "";

    @AttributeDefinition(description = "The database user")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The database user's password")
    String password() default "";

    @AttributeDefinition(description = "This logger's name in the shared tables; empty: the host name")
    String node() default "";

    @AttributeDefinition(description = "Most samples per transaction on the peer")
    @Range(min = 1, max = 100_000)
    int batch() default 1_000;
}
