/**
 * Plain JDBC access to the store's tables, without OSGi: the store component writes and reads through it,
 * and the command line ({@code usblogd export}, {@code usblogd devices}) reads through it directly, whether
 * or not the daemon runs. Not exported: bundles use {@link org.usblogd.api.store.SampleStore}.
 */
package org.usblogd.store.jdbc;
