package org.usblogd.http.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;

/**
 * The daemon's JVM memory and threads, as its management beans tell them.
 *
 * @param heapMax and {@code nonHeapMax}: -1 when the JVM sets no limit
 */
record JvmFigures(long heapUsed, long heapCommitted, long heapMax, long nonHeapUsed, long nonHeapCommitted,
        long nonHeapMax, int threads, int daemonThreads, int peakThreads) {

    static JvmFigures read() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return new JvmFigures(heap.getUsed(), heap.getCommitted(), heap.getMax(), nonHeap.getUsed(),
                nonHeap.getCommitted(), nonHeap.getMax(), threads.getThreadCount(), threads.getDaemonThreadCount(),
                threads.getPeakThreadCount());
    }
}
