package org.usblogd.testing.umockdev;

import static org.usblogd.testing.umockdev.NativeLibraries.bytes;
import static org.usblogd.testing.umockdev.NativeLibraries.clientAddress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.sim.host.HostDeviceState;
import org.usblogd.testing.umockdev.NativeLibraries.GObject;
import org.usblogd.testing.umockdev.NativeLibraries.IoctlHandler;
import org.usblogd.testing.umockdev.NativeLibraries.UMockdev;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * One emulated device node (/dev/bus/usb/BBB/DDD) whose usbdevfs ioctls are answered by a
 * {@link DeviceModel}, the same model the virtual bus uses. What the kernel keeps for the device (claimed
 * interfaces, kernel drivers, halted endpoints, configuration, alternate settings) is a {@link HostDeviceState},
 * the virtual bus's too; this class adds the URBs libusb submitted, which complete when the model has data.
 *
 * <p>All state is guarded by this object's monitor; the model is only called under it.
 */
public final class EmulatedUsbDevice {
    private static final UMockdev U = UMockdev.LIB;
    private static final long FRAME_NANOS = 1_000_000;
    /**
     * Every ioctl callback ever connected, for the JVM's life. JNA frees a callback's native trampoline once
     * the Java object is collected, but umockdev goes on calling it for as long as a file descriptor of the
     * node is open: libusb may still reap, discard or close on a device the test unplugged and dropped
     * long ago. A few hundred bytes per device plugged.
     */
    private static final Set<IoctlHandler> CALLBACKS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final UsbTestbed testbed;
    private final DeviceModel model;
    private final UsbDeviceInfo info;
    private final Descriptors descriptors;
    private final String node;
    private final String sysfsPath;
    private final int bus;
    private final int address;
    private final Pointer handler;
    private final IoctlHandler callback; // also in CALLBACKS: native code may call it after the device is dropped
    private final ReadinessPipe readiness;
    private final Deque<Urb> pending = new ArrayDeque<>();
    /** The process each client (an open file of the node) submitted isochronous URBs from. */
    private final Map<Long, Long> processOf = new HashMap<>();
    /** When the last isochronous URB queued on each endpoint is due: the next one's packets follow it. */
    private final Map<Integer, Long> isoScheduled = new HashMap<>();
    /** Completed URBs per client (open file descriptor): a handle reaps only what it submitted. */
    private final Map<Long, Deque<Urb>> reapable = new HashMap<>();
    private final HostDeviceState host;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ioctls = new AtomicLong();
    private final AtomicLong urbs = new AtomicLong();
    private final LongConsumer wakeAt;
    private boolean unplugged;

    EmulatedUsbDevice(UsbTestbed testbed, DeviceModel model, UsbDeviceInfo info, int bus, int address,
            String sysfsPath, LongConsumer wakeAt) {
        this.testbed = testbed;
        this.model = model;
        this.info = info;
        this.descriptors = new Descriptors(info);
        this.bus = bus;
        this.address = address;
        this.node = String.format("/dev/bus/usb/%03d/%03d", bus, address);
        this.sysfsPath = sysfsPath;
        this.wakeAt = wakeAt;
        this.host = new HostDeviceState(info, model);
        this.handler = U.umockdev_ioctl_base_new();
        this.callback = (base, client, data) -> handle(client);
        CALLBACKS.add(callback);
        GObject.LIB.g_signal_connect_data(handler, "handle-ioctl", callback, null, null, 1 /* G_CONNECT_AFTER */);
        this.readiness = new ReadinessPipe();
    }

    public DeviceModel model() {
        return model;
    }

    public UsbDeviceInfo info() {
        return info;
    }

    /** The node libusb opens, as the process sees it (umockdev redirects it into the testbed). */
    public String node() {
        return node;
    }

    public int bus() {
        return bus;
    }

    public int address() {
        return address;
    }

    String sysfsPath() {
        return sysfsPath;
    }

    Pointer handler() {
        return handler;
    }

    byte[] sysfsDescriptors() {
        return descriptors.sysfsDescriptors();
    }

    ReadinessPipe readiness() {
        return readiness;
    }

    /** The kernel driver bound to an interface now, or null. */
    public synchronized String kernelDriver(int iface) {
        return host.kernelDriver(iface);
    }

    public synchronized Set<Integer> claimedInterfaces() {
        return host.claimedInterfaces();
    }

    /** Makes the interface look claimed by another process: claiming it fails with EBUSY. */
    public synchronized void claimElsewhere(int iface) {
        host.claimElsewhere(iface);
    }

    /** Halts an endpoint, as a device does on a protocol error: transfers fail with EPIPE until CLEAR_HALT. */
    public synchronized void halt(int endpoint) {
        host.halt(endpoint);
        pump(System.nanoTime());
    }

    public synchronized boolean isHalted(int endpoint) {
        return host.halted(endpoint);
    }

    public synchronized int resets() {
        return host.resets();
    }

    public synchronized int configuration() {
        return host.configuration();
    }

    public synchronized int alternate(int iface) {
        return host.alternate(iface);
    }

    /** URBs libusb has submitted and not yet reaped. */
    public synchronized int urbsInFlight() {
        return pending.size() + reapable.values().stream().mapToInt(Deque::size).sum();
    }

    public long ioctlCount() {
        return ioctls.get();
    }

    public long urbCount() {
        return urbs.get();
    }

    /** Every ioctl other than reaping, in order; for diagnosing tests. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The model has new IN data outside the timing it announced (a test pushed some): look again. */
    public synchronized void poke() {
        pump(System.nanoTime());
    }

    /** The device is pulled out: URBs in flight end with ESHUTDOWN, later ioctls fail with ENODEV. */
    synchronized void disconnect() {
        unplugged = true;
        for (Urb u : pending) {
            u.finish(-Usbdevfs.ESHUTDOWN, new byte[0]);
            reapable(u.client).add(u);
        }
        pending.clear();
        host.unplugged();
        readiness.set(true);
    }

    void close() {
        readiness.close();
        GObject.LIB.g_object_unref(handler);
    }

    private boolean handle(Pointer client) {
        try {
            ioctls.incrementAndGet();
            long request = U.umockdev_ioctl_client_get_request(client).longValue() & 0xFFFFFFFFL;
            Pointer arg = U.umockdev_ioctl_client_get_arg(client);
            synchronized (this) {
                return dispatch(client, request, arg);
            }
        } catch (Throwable e) {
            log.add("harness failure: " + e);
            e.printStackTrace();
            complete(client, -1, Usbdevfs.EPROTO);
            return true;
        }
    }

    private boolean dispatch(Pointer client, long request, Pointer arg) {
        boolean reap = request == Usbdevfs.REAPURB || request == Usbdevfs.REAPURBNDELAY;
        if (!reap) {
            log.add(String.format("ioctl %08x", request));
        }
        if (unplugged && !reap && request != Usbdevfs.DISCARDURB) {
            return complete(client, -1, Usbdevfs.ENODEV);
        }
        if (request == Usbdevfs.SUBMITURB) {
            return submit(client, arg);
        }
        if (reap) {
            return reap(client, arg);
        }
        if (request == Usbdevfs.DISCARDURB) {
            return discard(client, arg);
        }
        if (request == Usbdevfs.GET_CAPABILITIES) {
            Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 4, null);
            bytes(d).setInt(0, Usbdevfs.CAP_ZERO_PACKET | Usbdevfs.CAP_BULK_CONTINUATION
                    | Usbdevfs.CAP_NO_PACKET_SIZE_LIM | Usbdevfs.CAP_BULK_SCATTER_GATHER
                    | Usbdevfs.CAP_REAP_AFTER_DISCONNECT);
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.CLAIMINTERFACE || request == Usbdevfs.RELEASEINTERFACE) {
            int iface = intArg(arg);
            if (request == Usbdevfs.RELEASEINTERFACE) {
                log.add("release " + iface);
                return host.release(iface) ? complete(client, 0, 0) : complete(client, -1, Usbdevfs.EINVAL);
            }
            try {
                host.claim(iface);
            } catch (UsbException e) {
                log.add("claim " + iface + " refused: " + e.kind());
                return complete(client, -1, e.kind() == UsbException.Kind.BUSY ? Usbdevfs.EBUSY : Usbdevfs.ENOENT);
            }
            log.add("claim " + iface);
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.SETCONFIGURATION) {
            int value = intArg(arg);
            host.setConfiguration(value);
            testbed.setAttribute(this, "bConfigurationValue", value == 0 ? "" : value + "\n");
            log.add("set configuration " + value);
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.SETINTERFACE) {
            Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 8, null);
            int iface = bytes(d).getInt(0);
            int alt = bytes(d).getInt(4);
            try {
                host.setAlternate(iface, alt);
            } catch (UsbException e) {
                return complete(client, -1, Usbdevfs.EINVAL);
            }
            log.add("set interface " + iface + " alt " + alt);
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.CLEAR_HALT || request == Usbdevfs.RESETEP) {
            int ep = intArg(arg);
            host.clearHalt(ep);
            log.add("clear halt " + Integer.toHexString(ep));
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.RESET) {
            host.reset();
            log.add("reset");
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.GETDRIVER) {
            Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 260, null);
            String driver = host.kernelDriver(bytes(d).getInt(0));
            if (driver == null) {
                return complete(client, -1, Usbdevfs.ENODATA);
            }
            bytes(d).setString(4, driver);
            return complete(client, 0, 0);
        }
        if (request == Usbdevfs.IOCTL) {
            Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 16, null);
            int iface = bytes(d).getInt(0);
            int code = bytes(d).getInt(4);
            if (code == Usbdevfs.IOCTL_DISCONNECT) {
                log.add("kernel driver detached from " + iface);
                return host.detachKernelDriver(iface) ? complete(client, 0, 0)
                        : complete(client, -1, Usbdevfs.ENODATA);
            }
            if (code == Usbdevfs.IOCTL_CONNECT) {
                try {
                    if (!host.attachKernelDriver(iface)) {
                        return complete(client, 0, 0);
                    }
                } catch (UsbException e) {
                    return complete(client, -1, Usbdevfs.EBUSY);
                }
                log.add("kernel driver " + host.kernelDriver(iface) + " attached to " + iface);
                return complete(client, 1, 0);
            }
            return complete(client, -1, Usbdevfs.ENOTTY);
        }
        if (request == Usbdevfs.GET_SPEED) {
            return complete(client, Usbdevfs.SPEED_HIGH, 0);
        }
        if (request == Usbdevfs.CONNECTINFO) {
            Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 8, null);
            bytes(d).setInt(0, address);
            bytes(d).setByte(4, (byte) 0);
            return complete(client, 0, 0);
        }
        return complete(client, -1, Usbdevfs.ENOTTY);
    }

    /**
     * The service interval of an isochronous endpoint in the selected alternate setting: a 1 ms frame at full
     * speed, a 125 µs microframe above, times 2^(bInterval-1).
     */
    private long isoSlotNanos(int endpoint) {
        int interval = info.endpoint(endpoint, host::alternate).map(e -> e.interval()).orElse(1);
        long frame = info.speed().microframes() ? FRAME_NANOS / 8 : FRAME_NANOS;
        return frame << (Math.max(1, Math.min(16, interval)) - 1);
    }

    private boolean submit(Pointer client, Pointer arg) {
        Pointer head = U.umockdev_ioctl_data_resolve(arg, 0, Usbdevfs.URB_SIZE, null);
        Pointer struct = bytes(head);
        int type = struct.getByte(Usbdevfs.URB_TYPE) & 0xFF;
        int packets = type == Usbdevfs.URB_TYPE_ISO ? struct.getInt(Usbdevfs.URB_NUMBER_OF_PACKETS) : 0;
        Pointer data = head;
        ClientMemory descriptors = null;
        if (packets > 0) {
            descriptors = ClientMemory.find(processOf.get(Pointer.nativeValue(client)), clientAddress(head),
                    bytes(head).getByteArray(0, Usbdevfs.URB_SIZE), clientAddress(head) + Usbdevfs.URB_SIZE)
                    .orElse(null);
            if (descriptors == null) {
                log.add("isochronous URB from a process this JVM did not start: refused");
                return complete(client, -1, Usbdevfs.EINVAL);
            }
            processOf.put(Pointer.nativeValue(client), descriptors.pid());
        }
        Urb u = new Urb(Pointer.nativeValue(client), data, descriptors, type, bytes(data).getByte(Usbdevfs.URB_ENDPOINT) & 0xFF,
                bytes(data).getInt(Usbdevfs.URB_BUFFER_LENGTH), packets, clientAddress(data));
        urbs.incrementAndGet();
        if (u.length > 0) {
            u.buffer = U.umockdev_ioctl_data_resolve(data, Usbdevfs.URB_BUFFER, u.length, null);
        }
        byte[] out = u.buffer == null ? new byte[0] : bytes(u.buffer).getByteArray(0, u.length);
        long now = System.nanoTime();
        if (type == Usbdevfs.URB_TYPE_CONTROL) {
            control(u, out);
        } else if (!u.in()) {
            if (host.halted(u.endpoint)) {
                u.finish(-Usbdevfs.EPIPE, new byte[0]);
            } else if (type == Usbdevfs.URB_TYPE_ISO) {
                u.isoLengths = descriptors.lengths(packets);
                int offset = 0;
                for (int i = 0; i < packets; i++) {
                    int l = u.isoLengths[i];
                    deliver(u.endpoint, Arrays.copyOfRange(out, offset, offset + l));
                    offset += l;
                }
                u.finish(0, new byte[0]);
                u.actual = offset;
            } else {
                try {
                    model.out(u.endpoint, out);
                    u.finish(0, new byte[0]);
                    u.actual = out.length;
                } catch (UsbException e) {
                    u.finish(status(e), new byte[0]);
                    host.failed(u.endpoint, e);
                }
            }
        } else if (type == Usbdevfs.URB_TYPE_ISO) {
            u.isoLengths = descriptors.lengths(packets);
            // the host controller serves the URBs queued on an endpoint one after the other, a packet a slot
            long start = Math.max(now, isoScheduled.getOrDefault(u.endpoint, now));
            u.due = start + packets * isoSlotNanos(u.endpoint);
            isoScheduled.put(u.endpoint, u.due);
        }
        if (u.done) {
            reapable(u.client).add(u);
        } else {
            pending.add(u);
        }
        pump(now);
        return complete(client, 0, 0);
    }

    private void deliver(int endpoint, byte[] packet) {
        try {
            model.out(endpoint, packet);
        } catch (UsbException e) {
            log.add("iso OUT packet refused: " + e.getMessage());
        }
    }

    private void control(Urb u, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        ControlSetup setup = new ControlSetup(b.get(0) & 0xFF, b.get(1) & 0xFF, b.getShort(2) & 0xFFFF,
                b.getShort(4) & 0xFFFF, b.getShort(6) & 0xFFFF);
        byte[] answer;
        try {
            if (setup.isIn()) {
                byte[] standard = standardRequest(setup);
                answer = standard != null ? standard : model.controlIn(setup);
                answer = Arrays.copyOf(answer, Math.min(answer.length, setup.length()));
            } else {
                model.controlOut(setup, Arrays.copyOfRange(raw, 8, 8 + setup.length()));
                answer = new byte[0];
            }
            log.add(setup + " -> " + answer.length + " bytes");
            u.finish(0, answer);
            u.actual = setup.isIn() ? answer.length : setup.length();
        } catch (UsbException e) {
            log.add(setup + " -> " + e.kind());
            u.finish(status(e), new byte[0]);
        } catch (RuntimeException e) {
            log.add(setup + " -> model threw " + e);
            u.finish(-Usbdevfs.EPROTO, new byte[0]);
        }
    }

    /** GET_DESCRIPTOR for the device: answered from the description, as the kernel's core would. */
    private byte[] standardRequest(ControlSetup s) throws UsbException {
        if (s.requestType() != 0x80 || s.request() != 6) {
            return null;
        }
        int type = s.value() >> 8;
        int index = s.value() & 0xFF;
        byte[] d = type == 1 ? descriptors.device() : type == 2 ? descriptors.configuration(index)
                : type == 3 ? descriptors.string(index) : null;
        if (d == null) {
            throw new UsbException(UsbException.Kind.STALL, "no descriptor " + s);
        }
        return d;
    }

    private static int status(UsbException e) {
        switch (e.kind()) {
        case STALL:
            return -Usbdevfs.EPIPE;
        case TIMEOUT:
            return -Usbdevfs.ETIMEDOUT;
        case GONE:
            return -Usbdevfs.ESHUTDOWN;
        case OVERFLOW:
            return -Usbdevfs.EOVERFLOW;
        default:
            return -Usbdevfs.EPROTO;
        }
    }

    /** Completes the IN URBs whose data is there, in submission order per endpoint, and arms the next wake. */
    private void pump(long now) {
        long next = Long.MAX_VALUE;
        Set<Integer> blocked = new HashSet<>();
        for (Iterator<Urb> it = pending.iterator(); it.hasNext();) {
            Urb u = it.next();
            if (blocked.contains(u.endpoint)) {
                continue;
            }
            if (host.halted(u.endpoint)) {
                u.finish(-Usbdevfs.EPIPE, new byte[0]);
            } else if (u.type == Usbdevfs.URB_TYPE_ISO) {
                if (now >= u.due) {
                    fillIso(u, now);
                } else {
                    next = Math.min(next, u.due);
                }
            } else {
                byte[] packet = model.in(u.endpoint, now);
                if (packet != null) {
                    if (packet.length > u.length) {
                        u.finish(-Usbdevfs.EOVERFLOW, Arrays.copyOf(packet, u.length));
                    } else {
                        u.finish(0, packet);
                    }
                    u.actual = u.result.length;
                } else {
                    next = Math.min(next, model.nextInNanos(u.endpoint, now));
                }
            }
            if (u.done) {
                it.remove();
                reapable(u.client).add(u);
            } else {
                blocked.add(u.endpoint);
            }
        }
        signal();
        if (next != Long.MAX_VALUE) {
            wakeAt.accept(next);
        }
    }

    private void fillIso(Urb u, long now) {
        byte[] all = new byte[u.length];
        u.isoActual = new int[u.packets];
        u.isoStatus = new int[u.packets];
        int offset = 0;
        int total = 0;
        for (int i = 0; i < u.packets; i++) {
            byte[] p = model.in(u.endpoint, now);
            // a packet the device did not send is one the host controller missed: the kernel says -EXDEV
            u.isoStatus[i] = p == null ? -Usbdevfs.EXDEV : 0;
            int n = p == null ? 0 : Math.min(p.length, u.isoLengths[i]);
            if (n > 0) {
                System.arraycopy(p, 0, all, offset, n);
            }
            u.isoActual[i] = n;
            total += n;
            offset += u.isoLengths[i];
        }
        u.finish(0, all);
        u.actual = total;
    }

    /** Called by the testbed's clock when a model said data would be ready. */
    synchronized void wake() {
        if (!unplugged) {
            pump(System.nanoTime());
        }
    }

    private Deque<Urb> reapable(long client) {
        return reapable.computeIfAbsent(client, k -> new ArrayDeque<>());
    }

    private void signal() {
        readiness.set(unplugged || reapable.values().stream().anyMatch(q -> !q.isEmpty()));
    }

    private boolean reap(Pointer client, Pointer arg) {
        Urb u = reapable(Pointer.nativeValue(client)).poll();
        if (u == null) {
            signal();
            return complete(client, -1, unplugged ? Usbdevfs.ENODEV : Usbdevfs.EAGAIN);
        }
        Pointer s = bytes(u.data);
        s.setInt(Usbdevfs.URB_STATUS, u.status);
        s.setInt(Usbdevfs.URB_ACTUAL_LENGTH, u.actual);
        if (u.type == Usbdevfs.URB_TYPE_ISO) {
            int errors = 0;
            int[] actual = new int[u.packets];
            int[] status = new int[u.packets];
            for (int i = 0; i < u.packets; i++) {
                actual[i] = u.isoActual == null ? (u.status == 0 ? u.isoLengths[i] : 0) : u.isoActual[i];
                status[i] = u.isoStatus == null ? u.status : u.isoStatus[i];
                errors += status[i] == 0 ? 0 : 1;
            }
            u.descriptors.results(u.isoLengths, actual, status);
            s.setInt(Usbdevfs.URB_ERROR_COUNT, errors);
        }
        if (u.buffer != null && u.result.length > 0) {
            bytes(u.buffer).write(u.type == Usbdevfs.URB_TYPE_CONTROL ? 8 : 0, u.result, 0,
                    Math.min(u.result.length, u.length - (u.type == Usbdevfs.URB_TYPE_CONTROL ? 8 : 0)));
        }
        Pointer out = U.umockdev_ioctl_data_resolve(arg, 0, 8, null);
        U.umockdev_ioctl_data_set_ptr(out, 0, u.data);
        signal();
        return complete(client, 0, 0);
    }

    private boolean discard(Pointer client, Pointer arg) {
        long address = bytes(arg).getLong(0);
        for (Iterator<Urb> it = pending.iterator(); it.hasNext();) {
            Urb u = it.next();
            if (u.address == address && u.client == Pointer.nativeValue(client)) {
                it.remove();
                u.finish(-Usbdevfs.ENOENT, new byte[0]);
                reapable(u.client).add(u);
                signal();
                log.add("discard urb on " + Integer.toHexString(u.endpoint));
                return complete(client, 0, 0);
            }
        }
        return complete(client, -1, Usbdevfs.EINVAL);
    }

    private static int intArg(Pointer arg) {
        Pointer d = U.umockdev_ioctl_data_resolve(arg, 0, 4, null);
        return bytes(d).getInt(0);
    }

    private static boolean complete(Pointer client, long result, int errno) {
        U.umockdev_ioctl_client_complete(client, new NativeLong(result), errno);
        return true;
    }

    @Override
    public String toString() {
        return info.vidPid() + " at " + node;
    }

    /** A URB as submitted, until libusb reaps it. */
    private static final class Urb {
        final long client;
        final Pointer data;
        final ClientMemory descriptors;
        final int type;
        final int endpoint;
        final int length;
        final int packets;
        final long address;
        Pointer buffer;
        int[] isoLengths;
        int[] isoActual;
        int[] isoStatus;
        long due;
        boolean done;
        int status;
        int actual;
        byte[] result = new byte[0];

        Urb(long client, Pointer data, ClientMemory descriptors, int type, int endpoint, int length, int packets,
                long address) {
            this.client = client;
            this.data = data;
            this.descriptors = descriptors;
            this.type = type;
            this.endpoint = endpoint;
            this.length = length;
            this.packets = packets;
            this.address = address;
        }

        boolean in() {
            return (endpoint & 0x80) != 0;
        }

        void finish(int status, byte[] result) {
            this.status = status;
            this.result = result;
            this.done = true;
        }
    }
}
