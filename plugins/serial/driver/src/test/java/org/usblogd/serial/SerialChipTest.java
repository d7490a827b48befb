package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.usblogd.serial.twin.Ch340SerialTwin;
import org.usblogd.serial.twin.Cp210xSerialTwin;
import org.usblogd.serial.twin.FtdiSerialTwin;
import org.usblogd.serial.twin.PicoSerialTwin;

class SerialChipTest {

    @Test
    void ftdiBaudValuesOfTheDocumentation() {
        assertThat(FtdiChip.baudValue(9600)).isEqualTo(0x4138);
        assertThat(FtdiChip.baudValue(115200)).isEqualTo(0x001A);
        for (int baud : new int[] { 300, 2400, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600 }) {
            int v = FtdiChip.baudValue(baud);
            assertThat(FtdiSerialTwin.baud(v & 0xFFFF, v >> 16)).as("%d baud", baud).isCloseTo(baud,
                    org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    @Test
    void ftdiStatusBytesAreStrippedFromEveryPacket() {
        byte[] out = new byte[2048];
        assertThat(FtdiChip.strip(new byte[64], 64, 64, out)).isEqualTo(62);
        assertThat(FtdiChip.strip(new byte[66], 66, 64, out)).isEqualTo(62);
        assertThat(FtdiChip.strip(new byte[68], 68, 64, out)).isEqualTo(64);
        assertThat(FtdiChip.strip(new byte[16 * 64 + 11], 16 * 64 + 11, 64, out)).isEqualTo(16 * 62 + 9);
        assertThat(FtdiChip.strip(new byte[2], 2, 64, out)).as("an idle status packet").isZero();

        byte[] twoPackets = new byte[70];
        twoPackets[2] = 'a';
        twoPackets[63] = 'b';
        twoPackets[66] = 'c';
        assertThat(FtdiChip.strip(twoPackets, 70, 64, out)).isEqualTo(66);
        assertThat(out[0]).isEqualTo((byte) 'a');
        assertThat(out[61]).isEqualTo((byte) 'b');
        assertThat(out[62]).isEqualTo((byte) 'c');
    }

    @Test
    void ch340RegistersEncodeTheRate() {
        for (int baud : new int[] { 2400, 9600, 19200, 57600, 115200, 230400, 921600 }) {
            int[] regs = Ch340Chip.baudRegisters(baud);
            assertThat(Ch340SerialTwin.baud(regs[0], regs[1])).as("%d baud", baud).isCloseTo(baud,
                    org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    @Test
    void theChipIsKnownByItsIdsOrByItsInterfaces() {
        assertThat(SerialChip.of(new FtdiSerialTwin(1, 1).info(), "auto").orElseThrow().name()).isEqualTo("ftdi");
        assertThat(SerialChip.of(new Ch340SerialTwin(1, 1).info(), "").orElseThrow().name()).isEqualTo("ch340");
        assertThat(SerialChip.of(new Cp210xSerialTwin(1, 1).info(), null).orElseThrow().name()).isEqualTo("cp210x");
        assertThat(SerialChip.of(new PicoSerialTwin(1, 1).info(), "auto").orElseThrow().name()).isEqualTo("cdc-acm");
        // a HID postal scale: no serial chip by its IDs or interfaces, unless the file says which
        org.usblogd.api.usb.UsbDeviceInfo scale = new org.usblogd.api.usb.UsbDeviceInfo(0x0922, 0x8003, 0x0100, 0,
                0, 0, "DYMO", "M10", null, "-", 0,
                java.util.List.of(new org.usblogd.api.usb.UsbInterfaceInfo(0, 0, 3, 0, 0, java.util.List.of())));
        assertThat(SerialChip.of(scale, "auto")).isEmpty();
        assertThat(SerialChip.of(scale, "ftdi").orElseThrow().name()).isEqualTo("ftdi");
    }
}
