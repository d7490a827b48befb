package org.usblogd.framework;

import picocli.CommandLine.IVersionProvider;

/** {@code usblogd --version}: the version Maven built the launcher jar as (its manifest's Implementation-Version). */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] { "usblogd " + (v == null ? "(version unknown: not run from its jar)" : v) };
    }
}
