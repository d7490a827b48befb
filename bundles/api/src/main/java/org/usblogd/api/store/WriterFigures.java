package org.usblogd.api.store;

import java.util.Map;

/**
 * The store writer's figures since the daemon started, as monitoring reads them.
 *
 * @param accepted samples handed to the store
 * @param written samples committed
 * @param dropped samples dropped (queue full, memory budget spent while the database could not be written)
 * @param droppedByDevice the dropped samples by device key; devices that lost none are left out
 * @param queued samples waiting in the queue for the writer thread now
 * @param heldBytes heap held by samples not yet durable, as of the writer's last round
 * @param commits transactions committed
 * @param commitSeconds the time all those commits took, in seconds
 * @param commitMaxSeconds the longest commit since the previous call, in seconds (0 when none happened)
 */
public record WriterFigures(long accepted, long written, long dropped, Map<String, Long> droppedByDevice,
        long queued, long heldBytes, long commits, double commitSeconds, double commitMaxSeconds) {
    public WriterFigures {
        droppedByDevice = Map.copyOf(droppedByDevice);
    }
}
