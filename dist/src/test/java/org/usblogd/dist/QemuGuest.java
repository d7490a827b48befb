package org.usblogd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux guest under QEMU (software emulation) with a real kernel, for what only a kernel shows: a power
 * cut is the QEMU process killed, so the guest's page cache dies and the disk image holds what the guest
 * had flushed. The guest runs the host's root read-only (its Java, the assembled installation), a shared
 * work directory read-write, one script from it, and a raw ext4 disk as {@code /dev/vda} (written with
 * O_DIRECT, so it behaves as a disk with a volatile write cache that the guest flushes). Optionally QEMU's
 * FTDI serial adapter, fed by the host through a unix socket. Built by {@code testing/qemu/build-guest.sh}.
 */
final class QemuGuest implements AutoCloseable {
    private final Process process;

    private QemuGuest(Process process) {
        this.process = process;
    }

    /** The guest's kernel and initramfs, built once into {@code target/qemu-guest}. */
    static Path built() throws IOException, InterruptedException {
        Path project = Dist.home().getParent().getParent().getParent();
        Path out = project.resolve("dist/target/qemu-guest");
        Process p = new ProcessBuilder("bash", project.resolve("testing/qemu/build-guest.sh").toString(), out.toString())
                .inheritIO().start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("building the QEMU guest failed (testing/qemu/build-guest.sh " + out + ")");
        }
        return out;
    }

    /** A new raw disk image of {@code megabytes}, formatted ext4. */
    static void formatDisk(Path image, int megabytes) throws IOException, InterruptedException {
        Files.deleteIfExists(image);
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(megabytes * 1_048_576L);
        }
        Process p = new ProcessBuilder("mkfs.ext4", "-q", "-F", image.toString()).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mkfs.ext4 " + image + " failed");
        }
    }

    /**
     * Boots the guest running {@code script} (a path inside {@code work}).
     *
     * @param serialSocket the unix socket the host feeds QEMU's FTDI adapter through, or null for none
     */
    static QemuGuest boot(Path guest, Path work, Path script, Path disk, Path serialSocket, Path console)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg,thread=multi", "-cpu", "max",
                "-smp", "2", "-m", "1536", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-serial", "file:" + console,
                "-kernel", guest.resolve("vmlinux").toString(), "-initrd", guest.resolve("initramfs.gz").toString(),
                "-append", "console=ttyS0 quiet panic=-1 guest.work=" + work + " guest.script=" + script,
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
                "-virtfs", "local,path=" + work + ",mount_tag=work,security_model=none,multidevs=remap",
                "-drive", "file=" + disk + ",if=virtio,format=raw,cache=none"));
        if (serialSocket != null) {
            Files.deleteIfExists(serialSocket);
            cmd.addAll(List.of("-device", "qemu-xhci,id=xhci", "-chardev",
                    "socket,id=ftdi,path=" + serialSocket + ",server=on,wait=off",
                    // attached from boot, not only once the host connects
                    "-device", "usb-serial,chardev=ftdi,bus=xhci.0,always-plugged=on"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(console.resolveSibling(console.getFileName() + ".qemu").toFile()).start();
        return new QemuGuest(p);
    }

    /** The power cut: QEMU killed with SIGKILL, whatever the guest was doing. */
    void powerCut() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the guest to power itself off. */
    boolean awaitPowerOff(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    boolean running() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            powerCut();
        }
    }
}
