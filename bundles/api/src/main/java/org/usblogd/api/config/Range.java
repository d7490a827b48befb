package org.usblogd.api.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a number in a typed configuration annotation may take, both ends included. Put on the
 * attribute's method, next to its default, so that the range is declared once where the setting is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Range {
    long min();

    long max() default Long.MAX_VALUE;
}
