/**
 * How the daemon's long-running parts fare, for the launcher's service watchdog (systemd READY, STATUS and
 * WATCHDOG). The launcher's class path provides this package to the framework, so the launcher and the
 * bundles see one {@link org.usblogd.api.health.HealthCheck} class; the api bundle imports it back
 * (bnd.bnd) rather than using a copy of its own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.usblogd.api.health;
