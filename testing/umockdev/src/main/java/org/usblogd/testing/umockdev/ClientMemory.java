package org.usblogd.testing.umockdev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Memory of the process whose libusb submitted a URB, where umockdev cannot reach: the packet descriptors
 * that follow an isochronous URB are an array inside it, not data behind a pointer, so umockdev neither
 * reads them for the harness nor writes them back. When libusb runs in this JVM they are read and written
 * in place; when it runs in a process this JVM started (a daemon under test), through process_vm_readv and
 * process_vm_writev, which the kernel allows a parent. Which process it is, is told by the URB itself:
 * the one whose memory at the URB's address holds the bytes umockdev read from the client.
 */
final class ClientMemory {
    private final long pid;
    private final long address;

    private ClientMemory(long pid, long address) {
        this.pid = pid;
        this.address = address;
    }

    /**
     * The memory at {@code address} of the process whose memory at {@code urbAddress} holds {@code urb};
     * empty when neither this process nor any it started does.
     *
     * @param known the process a URB of the same client came from before, or null: it is checked first
     */
    static Optional<ClientMemory> find(Long known, long urbAddress, byte[] urb, long address) {
        long self = ProcessHandle.current().pid();
        if (known != null && known != self && Arrays.equals(read(known, urbAddress, urb.length), urb)) {
            return Optional.of(new ClientMemory(known, address));
        }
        if (mapped(urbAddress, urb.length) && Arrays.equals(new Pointer(urbAddress).getByteArray(0, urb.length), urb)) {
            return Optional.of(new ClientMemory(self, address));
        }
        return ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .filter(pid -> Arrays.equals(read(pid, urbAddress, urb.length), urb)).findFirst()
                .map(pid -> new ClientMemory(pid, address));
    }

    long pid() {
        return pid;
    }

    /** The requested lengths of {@code packets} packet descriptors (length, actual_length, status: 12 bytes). */
    int[] lengths(int packets) {
        byte[] b = bytes(0, packets * Usbdevfs.ISO_DESC_SIZE);
        int[] lengths = new int[packets];
        for (int i = 0; b != null && i < packets; i++) {
            lengths[i] = intAt(b, i * Usbdevfs.ISO_DESC_SIZE);
        }
        return lengths;
    }

    /** Writes every packet descriptor back at once: the requested length, what arrived and the status. */
    void results(int[] lengths, int[] actual, int[] status) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(lengths.length * Usbdevfs.ISO_DESC_SIZE)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lengths.length; i++) {
            b.putInt(lengths[i]).putInt(actual[i]).putInt(status[i]);
        }
        byte[] all = b.array();
        if (pid == ProcessHandle.current().pid()) {
            new Pointer(address).write(0, all, 0, all.length);
            return;
        }
        Memory local = new Memory(Math.max(1, all.length));
        local.write(0, all, 0, all.length);
        transfer(false, pid, address, local, all.length);
    }

    private byte[] bytes(long offset, int length) {
        if (length == 0) {
            return new byte[0];
        }
        return pid == ProcessHandle.current().pid() ? new Pointer(address).getByteArray(offset, length)
                : read(pid, address + offset, length);
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
    }

    /** Whether this process has [address, address + length) mapped readable: reading it cannot fault. */
    private static boolean mapped(long address, int length) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                if (Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address + length, to) <= 0) {
                    return line.charAt(space + 1) == 'r';
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The bytes, or null when the process has none there (or is gone). */
    private static byte[] read(long pid, long remote, int length) {
        Memory local = new Memory(length);
        return transfer(true, pid, remote, local, length) == length ? local.getByteArray(0, length) : null;
    }

    private static long transfer(boolean read, long pid, long remote, Memory local, int length) {
        Memory iovecs = new Memory(32); // struct iovec { void *iov_base; size_t iov_len; } local, remote
        iovecs.setPointer(0, local);
        iovecs.setLong(8, length);
        iovecs.setLong(16, remote);
        iovecs.setLong(24, length);
        NativeLong n = read ? Vm.LIB.process_vm_readv((int) pid, iovecs, new NativeLong(1), iovecs.share(16),
                new NativeLong(1), new NativeLong(0))
                : Vm.LIB.process_vm_writev((int) pid, iovecs, new NativeLong(1), iovecs.share(16), new NativeLong(1),
                        new NativeLong(0));
        return n.longValue();
    }

    /** glibc's wrappers of the two system calls. */
    interface Vm extends com.sun.jna.Library {
        Vm LIB = Native.load("c", Vm.class);

        NativeLong process_vm_readv(int pid, Pointer local, NativeLong localCount, Pointer remote,
                NativeLong remoteCount, NativeLong flags);

        NativeLong process_vm_writev(int pid, Pointer local, NativeLong localCount, Pointer remote,
                NativeLong remoteCount, NativeLong flags);
    }
}
