package org.usblogd.testing.umockdev;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** The few C functions the harness needs from libumockdev, GObject and libc. */
final class NativeLibraries {
    private NativeLibraries() {
    }

    interface UMockdev extends Library {
        UMockdev LIB = Native.load("umockdev", UMockdev.class);

        Pointer umockdev_testbed_new();

        Pointer umockdev_testbed_get_root_dir(Pointer testbed);

        boolean umockdev_testbed_add_from_string(Pointer testbed, String data, PointerByReference error);

        void umockdev_testbed_set_attribute(Pointer testbed, String devpath, String name, String value);

        void umockdev_testbed_set_attribute_binary(Pointer testbed, String devpath, String name, byte[] value,
                long length);

        void umockdev_testbed_remove_device(Pointer testbed, String syspath);

        void umockdev_testbed_uevent(Pointer testbed, String devpath, String action);

        boolean umockdev_testbed_attach_ioctl(Pointer testbed, String dev, Pointer handler, PointerByReference error);

        boolean umockdev_testbed_detach_ioctl(Pointer testbed, String dev, PointerByReference error);

        Pointer umockdev_ioctl_base_new();

        NativeLong umockdev_ioctl_client_get_request(Pointer client);

        Pointer umockdev_ioctl_client_get_arg(Pointer client);

        void umockdev_ioctl_client_complete(Pointer client, NativeLong result, int errno);

        Pointer umockdev_ioctl_data_resolve(Pointer data, long offset, long length, PointerByReference error);

        boolean umockdev_ioctl_data_set_ptr(Pointer data, long offset, Pointer child);
    }

    interface GObject extends Library {
        GObject LIB = Native.load("gobject-2.0", GObject.class);

        NativeLong g_signal_connect_data(Pointer instance, String signal, Callback callback, Pointer data,
                Pointer destroy, int flags);

        Pointer g_object_ref(Pointer object);

        void g_object_unref(Pointer object);

        void g_free(Pointer memory);
    }

    interface LibC extends Library {
        LibC LIB = Native.load("c", LibC.class);
        int O_RDWR = 2;
        int O_NONBLOCK = 04000;
        long SYS_CAPGET = 125;
        long SYS_CAPSET = 126;

        int mkfifo(String path, int mode);

        int unlink(String path);

        int open(String path, int flags);

        int close(int fd);

        int chmod(String path, int mode);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        long syscall(long number, Object... args);

        int geteuid();
    }

    /** gboolean handler(UMockdevIoctlBase*, UMockdevIoctlClient*, gpointer) of the "handle-ioctl" signal. */
    interface IoctlHandler extends Callback {
        boolean invoke(Pointer base, Pointer client, Pointer userData);
    }

    /** struct _UMockdevIoctlData { GObject parent (24 bytes); guint8 *data; gint data_len; gulong client_addr; } */
    static Pointer bytes(Pointer ioctlData) {
        return ioctlData.getPointer(24);
    }

    static long clientAddress(Pointer ioctlData) {
        return ioctlData.getLong(40);
    }
}
