package org.usblogd.framework;

import picocli.CommandLine.IVersionProvider;

/** {@code usblogd --version}: the version Maven built the launcher jar as (its manifest's Implementation-Version). */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = number();
        return new String[] { "usblogd " + (v == null ? "(version unknown: not run from its jar)" : v) };
    }

    /** The version, or null when not run from its jar. */
    static String number() {
        return Version.class.getPackage().getImplementationVersion();
    }
}
