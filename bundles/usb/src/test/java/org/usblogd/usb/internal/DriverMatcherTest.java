package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

class DriverMatcherTest {
    private static final UsbDeviceInfo WS1361 = new UsbDeviceInfo(0x16c0, 0x05dc, 0x100, 0, 0, 0, "Wensn", "WS1361",
            null, "1-1", 2, List.of(new UsbInterfaceInfo(0, 0, 0xff, 0, 0, List.of())));

    private record Named(String name, int codeScore) implements Driver {
        @Override
        public int match(UsbDeviceInfo device) {
            return codeScore;
        }

        @Override
        public DriverSession open(DeviceLink link, SampleSink sink) {
            throw new UnsupportedOperationException();
        }
    }

    private static DriverRef driver(String name, long id, Version version, DeviceMatch... rows) {
        return new DriverRef(new Named(name, 0), name, 0, version, id, List.of(rows));
    }

    @Test
    void theHighestScoringRowOfAllTablesWinsAndSaysWhy() {
        DriverRef vUsb = driver("v-usb", 1, Version.emptyVersion, DeviceMatch.vidPid("v-usb", 0x16c0, 0x05dc));
        DriverRef sound = driver("sound", 2, Version.emptyVersion,
                DeviceMatch.fromAttributes(Map.of("driver", "sound", "vid", "16c0", "pid", "05dc", "product", "WS13*")));

        DriverMatcher.Match m = DriverMatcher.best(List.of(vUsb, sound), WS1361).orElseThrow();

        assertThat(m.driver()).isSameAs(sound);
        assertThat(m.reason()).isEqualTo("score 110: 16c0:05dc product 'WS13*'");
    }

    @Test
    void aTableReplacesMatchingInCode() {
        DriverRef tableSaysNo = new DriverRef(new Named("t", 1000), "t", 0, Version.emptyVersion, 1,
                List.of(DeviceMatch.vidPid("t", 0x1234, 0x5678)));
        DriverRef inCode = new DriverRef(new Named("c", 7), "c", 0, Version.emptyVersion, 2);

        DriverMatcher.Match m = DriverMatcher.best(List.of(tableSaysNo, inCode), WS1361).orElseThrow();

        assertThat(m.driver()).isSameAs(inCode);
        assertThat(m.reason()).isEqualTo("score 7: matched in code");
    }

    @Test
    void equalScoresGoToTheNewerVersion() {
        DriverRef old = driver("sound", 1, new Version(1, 0, 0), DeviceMatch.vidPid("sound", 0x16c0, 0x05dc));
        DriverRef newer = driver("sound", 2, new Version(1, 1, 0), DeviceMatch.vidPid("sound", 0x16c0, 0x05dc));

        assertThat(DriverMatcher.best(List.of(newer, old), WS1361).orElseThrow().driver()).isSameAs(newer);
        assertThat(DriverMatcher.best(List.of(old, newer), WS1361).orElseThrow().driver()).isSameAs(newer);
    }

    @Test
    void noRowNoDriver() {
        DriverRef other = driver("other", 1, Version.emptyVersion, DeviceMatch.vidPid("other", 0x04d9, 0xa052));

        assertThat(DriverMatcher.best(List.of(other), WS1361)).isEmpty();
    }
}
