package org.usblogd.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.usblogd.api.config.Range;

/** {@code conf/org.usblogd.http.cfg}: where the HTTP API listens, and the token it asks for. */
@ObjectClassDefinition(name = "usblogd HTTP API")
public @interface HttpConfig {
    /** The configuration PID: the file's name without {@code .cfg}. */
    String PID = "org.usblogd.http";
    /** The port the API listens on unless the file says otherwise: one no common service uses. */
    int DEFAULT_PORT = 8765;

    @AttributeDefinition(description = "false: the HTTP API is off, nothing listens")
    boolean enabled() default true;

    @AttributeDefinition(description = "The address to listen on: 127.0.0.1 (this machine only), or an address of"
            + " this machine's network (0.0.0.0 for all), which needs a token")
    String address() default "127.0.0.1";

    @AttributeDefinition(description = "The TCP port; 0: any free port (the log line says which)")
    @Range(min = 0, max = 65_535)
    int port() default DEFAULT_PORT;

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "What a client sends as 'Authorization: Bearer"
            + " TOKEN' (or once to /api/v1/login, for a cookie); empty: no token is asked for (loopback only)")
    String token() default "";
}
