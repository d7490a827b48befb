package org.usblogd.testing.umockdev;

import java.util.concurrent.Callable;

import org.usblogd.testing.umockdev.NativeLibraries.LibC;

import com.sun.jna.Memory;

/**
 * Runs code as if the process could not override file permissions, so that opening a node the harness made
 * unreadable fails with EACCES even when the tests run as root (CI does). Linux capabilities belong to
 * threads: only the calling thread loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its effective set,
 * and gets them back afterwards (they stay permitted).
 */
public final class FileAccess {
    private static final int VERSION_3 = 0x20080522;
    private static final int DAC_BITS = (1 << 1) | (1 << 2);

    private FileAccess() {
    }

    public static <T> T withoutPermissionOverride(Callable<T> action) throws Exception {
        if (LibC.LIB.geteuid() != 0) {
            return action.call();
        }
        Memory header = new Memory(8);
        header.setInt(0, VERSION_3);
        header.setInt(4, 0);
        Memory data = new Memory(24);
        if (LibC.LIB.syscall(LibC.SYS_CAPGET, header, data) != 0) {
            throw new IllegalStateException("capget failed");
        }
        int effective = data.getInt(0);
        data.setInt(0, effective & ~DAC_BITS);
        if (LibC.LIB.syscall(LibC.SYS_CAPSET, header, data) != 0) {
            throw new IllegalStateException("capset failed");
        }
        try {
            return action.call();
        } finally {
            data.setInt(0, effective);
            LibC.LIB.syscall(LibC.SYS_CAPSET, header, data);
        }
    }
}
