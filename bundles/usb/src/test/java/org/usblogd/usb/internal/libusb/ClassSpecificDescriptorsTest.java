package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/**
 * The bytes libusb keeps after an interface or endpoint descriptor, as drivers get them: whole class
 * descriptors only, without the interface associations libusb files there, and nothing from a damaged tail.
 */
class ClassSpecificDescriptorsTest {

    private static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void classDescriptorsPassAndAnInterfaceAssociationAmongThemIsLeftOut() {
        byte[] extra = b(5, 0x24, 0x01, 0x10, 0x01, 8, 0x0B, 2, 2, 1, 2, 0, 0, 4, 0x25, 0x01, 0);

        assertThat(LibUsbDevice.classSpecific(ByteBuffer.wrap(extra)))
                .containsExactly(b(5, 0x24, 0x01, 0x10, 0x01, 4, 0x25, 0x01, 0));
    }

    @Test
    void aDescriptorCutShortOrOfImpossibleLengthEndsTheRunWithoutFailing() {
        assertThat(LibUsbDevice.classSpecific(ByteBuffer.wrap(b(4, 0x24, 1, 2, 9, 0x24, 1))))
                .as("the second claims 9 bytes, 3 are there").containsExactly(b(4, 0x24, 1, 2));
        assertThat(LibUsbDevice.classSpecific(ByteBuffer.wrap(b(0, 0x24, 1, 2)))).as("bLength 0").isEmpty();
        assertThat(LibUsbDevice.classSpecific(ByteBuffer.wrap(b(1)))).as("one byte").isEmpty();
        assertThat(LibUsbDevice.classSpecific(null)).isEmpty();
    }

    @Test
    void theLibusbSpeedsAreNamed() {
        assertThat(LibUsbDevice.speed(org.usb4java.LibUsb.SPEED_FULL)).isEqualTo(org.usblogd.api.usb.UsbSpeed.FULL);
        assertThat(LibUsbDevice.speed(org.usb4java.LibUsb.SPEED_HIGH)).isEqualTo(org.usblogd.api.usb.UsbSpeed.HIGH);
        assertThat(LibUsbDevice.speed(5)).isEqualTo(org.usblogd.api.usb.UsbSpeed.SUPER_PLUS);
        assertThat(LibUsbDevice.speed(0)).isEqualTo(org.usblogd.api.usb.UsbSpeed.UNKNOWN);
    }
}
