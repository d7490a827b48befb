package org.usblogd.http.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.usblogd.api.store.StoreListener;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * The open streams, told of each commit by the store. It is a store listener only while a stream is open: with
 * none, the writer gathers nothing for it.
 */
final class StreamHub implements StoreListener {
    /** Each open stream holds one of the server's threads: a bound, so that they never take all of them. */
    static final int MAX_CLIENTS = 16;

    private final BundleContext context;
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private ServiceRegistration<StoreListener> registration;
    private boolean closed;

    StreamHub(BundleContext context) {
        this.context = context;
    }

    /** False when {@link #MAX_CLIENTS} streams are open already, or the hub is closed. */
    synchronized boolean add(StreamClient c) {
        if (closed || clients.size() >= MAX_CLIENTS) {
            return false;
        }
        clients.add(c);
        if (registration == null) {
            registration = context.registerService(StoreListener.class, this, null);
        }
        return true;
    }

    synchronized void remove(StreamClient c) {
        clients.remove(c);
        if (clients.isEmpty() && registration != null) {
            unregister();
        }
    }

    @Override
    public void committed(List<StoredSample> samples, List<StoredEvent> events) {
        for (StreamClient c : clients) {
            c.offer(samples, events);
        }
    }

    /** Ends every stream (their loops see it within a heartbeat) and stops listening. */
    synchronized void close() {
        closed = true;
        clients.forEach(StreamClient::close);
        if (registration != null) {
            unregister();
        }
    }

    private void unregister() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping: the framework unregistered it already
        }
        registration = null;
    }
}
