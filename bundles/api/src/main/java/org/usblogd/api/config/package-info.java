/**
 * Checking a component's configuration before it is applied: known keys from the component's typed
 * configuration annotation, strict booleans, numbers within declared ranges, and one readable line per problem;
 * the rules each component applies, for the command line too ({@link org.usblogd.api.config.ConfigRules}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.usblogd.api.config;
