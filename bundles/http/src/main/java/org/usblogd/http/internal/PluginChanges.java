package org.usblogd.http.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Counts the plugin bundles updated (hot-swapped) and removed since it started, from the framework's bundle
 * events, and tells the plugin bundles' states. A plugin bundle is one installed from {@code plugins/} (the
 * launcher installs each jar there with its file URI as location). Installs are not counted: the plugins found
 * at start are installed while this bundle starts, so a count would say more about that race than the daemon;
 * the bundles by state show what is there.
 */
final class PluginChanges implements BundleListener {
    /** What {@link #figures} answers: changes by kind, and the plugin bundles now by state. */
    record Figures(Map<String, Long> changes, Map<String, Long> bundles) {
    }

    private final BundleContext context;
    private final String location;
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong uninstalled = new AtomicLong();

    /** @param pluginsUri the URI of the plugins directory, ending with a slash; null: none is known */
    PluginChanges(BundleContext context, String pluginsUri) {
        this.context = context;
        this.location = pluginsUri;
    }

    void start() {
        context.addBundleListener(this);
    }

    void stop() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (!isPlugin(event.getBundle())) {
            return;
        }
        switch (event.getType()) {
        case BundleEvent.UPDATED -> updated.incrementAndGet();
        case BundleEvent.UNINSTALLED -> uninstalled.incrementAndGet();
        default -> {
            // installs (see above), starts, stops and resolutions
        }
        }
    }

    Figures figures() {
        Map<String, Long> bundles = new TreeMap<>();
        for (String state : new String[] { "active", "resolved", "installed", "starting", "stopping" }) {
            bundles.put(state, 0L);
        }
        for (Bundle b : context.getBundles()) {
            if (isPlugin(b)) {
                bundles.merge(state(b.getState()), 1L, Long::sum);
            }
        }
        return new Figures(Map.of("updated", updated.get(), "uninstalled", uninstalled.get()), bundles);
    }

    private boolean isPlugin(Bundle b) {
        return location != null && b.getLocation().startsWith(location);
    }

    private static String state(int state) {
        return switch (state) {
        case Bundle.ACTIVE -> "active";
        case Bundle.RESOLVED -> "resolved";
        case Bundle.STARTING -> "starting";
        case Bundle.STOPPING -> "stopping";
        default -> "installed";
        };
    }
}
