package org.usblogd.co2mon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.DeviceIdentity;

class Co2MonKeyTest {

    @Test
    void aMonitorIsGivenTheSameKeyInEverySessionSoThatReportsKeptAcrossASwapStillDecode() {
        DeviceIdentity monitor = new DeviceIdentity(0x04d9, 0xa052, null, "1-1.2");
        assertThat(Co2MonDriver.keyFor(monitor)).hasSize(8)
                .isEqualTo(Co2MonDriver.keyFor(new DeviceIdentity(0x04d9, 0xa052, null, "1-1.2")));
        assertThat(Co2MonDriver.keyFor(new DeviceIdentity(0x04d9, 0xa052, null, "1-1.3")))
                .as("another monitor, another key").isNotEqualTo(Co2MonDriver.keyFor(monitor));
    }
}
