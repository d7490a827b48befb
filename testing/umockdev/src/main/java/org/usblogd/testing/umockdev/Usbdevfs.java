package org.usblogd.testing.umockdev;

/** usbdevfs ioctl numbers and URB layout from linux/usbdevice_fs.h, as compiled for x86-64. */
final class Usbdevfs {
    private Usbdevfs() {
    }

    static final long SETINTERFACE = 0x80085504L;
    static final long SETCONFIGURATION = 0x80045505L;
    static final long GETDRIVER = 0x41045508L;
    static final long SUBMITURB = 0x8038550aL;
    static final long DISCARDURB = 0x550bL;
    static final long REAPURB = 0x4008550cL;
    static final long REAPURBNDELAY = 0x4008550dL;
    static final long CLAIMINTERFACE = 0x8004550fL;
    static final long RELEASEINTERFACE = 0x80045510L;
    static final long CONNECTINFO = 0x40085511L;
    static final long IOCTL = 0xc0105512L;
    static final long RESET = 0x5514L;
    static final long CLEAR_HALT = 0x80045515L;
    static final long GET_CAPABILITIES = 0x8004551aL;
    static final long DISCONNECT_CLAIM = 0x8108551bL;
    static final long GET_SPEED = 0x551fL;
    static final long RESETEP = 0x80045503L;
    /** Codes inside USBDEVFS_IOCTL. */
    static final int IOCTL_DISCONNECT = 0x5516;
    static final int IOCTL_CONNECT = 0x5517;

    static final int CAP_ZERO_PACKET = 0x01;
    static final int CAP_BULK_CONTINUATION = 0x02;
    static final int CAP_NO_PACKET_SIZE_LIM = 0x04;
    static final int CAP_BULK_SCATTER_GATHER = 0x08;
    static final int CAP_REAP_AFTER_DISCONNECT = 0x20;

    static final int URB_TYPE_ISO = 0;
    static final int URB_TYPE_INTERRUPT = 1;
    static final int URB_TYPE_CONTROL = 2;
    static final int URB_TYPE_BULK = 3;

    /** struct usbdevfs_urb: offsets of the fields the harness reads or writes. */
    static final int URB_SIZE = 56;
    static final int URB_TYPE = 0;
    static final int URB_ENDPOINT = 1;
    static final int URB_STATUS = 4;
    static final int URB_BUFFER = 16;
    static final int URB_BUFFER_LENGTH = 24;
    static final int URB_ACTUAL_LENGTH = 28;
    static final int URB_NUMBER_OF_PACKETS = 36;
    static final int URB_ERROR_COUNT = 40;
    /** struct usbdevfs_iso_packet_desc { unsigned int length, actual_length, status; } follow the URB. */
    static final int ISO_DESC_SIZE = 12;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EXDEV = 18;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int EPIPE = 32;
    static final int ENODATA = 61;
    static final int EPROTO = 71;
    static final int EOVERFLOW = 75;
    static final int ESHUTDOWN = 108;
    static final int ETIMEDOUT = 110;

    static final int SPEED_HIGH = 3;
}
