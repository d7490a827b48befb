package org.usblogd.api.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

class DeviceMatchTest {

    private static UsbDeviceInfo device(int vid, int pid, String manufacturer, String product, int ifClass,
            int ifSub) {
        return new UsbDeviceInfo(vid, pid, 0x100, 0, 0, 0, manufacturer, product, null, "1-1", 2,
                List.of(new UsbInterfaceInfo(0, 0, ifClass, ifSub, 1, List.of())));
    }

    private static final UsbDeviceInfo WENSN = device(0x16c0, 0x05dc, "Wensn", "WS1361", 0xff, 0);
    private static final UsbDeviceInfo OTHER_V_USB = device(0x16c0, 0x05dc, "obdev.at", "USBasp", 0xff, 0);
    private static final UsbDeviceInfo RIGOL = device(0x1ab1, 0x0588, "Rigol", "DS1000", 0xfe, 0x03);

    @Test
    void aRowMatchesWhenEveryFieldItSetsMatches() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "sound", "vid", "16c0", "pid", "05dc",
                "product", "WS13*"));

        assertThat(row.matches(WENSN)).isTrue();
        assertThat(row.matches(OTHER_V_USB)).isFalse();
        assertThat(row.score(OTHER_V_USB)).isZero();
    }

    @Test
    void moreSpecificRowsScoreHigher() {
        DeviceMatch vidPid = DeviceMatch.vidPid("generic", 0x16c0, 0x05dc);
        DeviceMatch withString = DeviceMatch.fromAttributes(Map.of("driver", "sound", "vid", "16c0", "pid", "05dc",
                "manufacturer", "Wensn"));
        DeviceMatch byClass = DeviceMatch.fromAttributes(Map.of("driver", "usbtmc", "class", "fe", "subclass", "03"));
        DeviceMatch byVendor = DeviceMatch.fromAttributes(Map.of("driver", "any-rigol", "vid", "1ab1"));

        assertThat(withString.score()).isGreaterThan(vidPid.score()).isEqualTo(110);
        assertThat(vidPid.score()).isEqualTo(Driver.MATCH_VID_PID);
        assertThat(byVendor.score()).isEqualTo(60);
        assertThat(byClass.score()).isEqualTo(55);
        assertThat(DeviceMatch.best(List.of(vidPid, withString), WENSN)).contains(withString);
        assertThat(DeviceMatch.best(List.of(byClass, byVendor), RIGOL)).contains(byVendor);
    }

    @Test
    void aClassMatchesTheDeviceOrAnyInterface() {
        DeviceMatch usbtmc = DeviceMatch.fromAttributes(Map.of("driver", "usbtmc", "class", "0xFE", "subclass", "3"));

        assertThat(usbtmc.matches(RIGOL)).isTrue();
        assertThat(usbtmc.matches(WENSN)).isFalse();
        assertThat(usbtmc.describe()).isEqualTo("class fe/03");
    }

    @Test
    void anExplicitScoreWins() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "x", "vid", "16c0", "score", "500"));

        assertThat(row.score(WENSN)).isEqualTo(500);
    }

    @Test
    void stringsNeverMatchADeviceThatHasNone() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "x", "vid", "16c0", "product", "*"));

        assertThat(row.matches(device(0x16c0, 0x05dc, null, null, 0xff, 0))).isFalse();
    }

    @Test
    void badRowsAreRefusedWithTheAttributeNamed() {
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x", "vid", "zz")))
                .hasMessageContaining("vid=zz");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x", "vid", "123456")))
                .hasMessageContaining("vid=123456");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x", "class", "100")))
                .hasMessageContaining("class=100");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x", "pid", "0001")))
                .hasMessageContaining("without a vendor");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x")))
                .hasMessageContaining("must name");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("vid", "16c0")))
                .hasMessageContaining("driver's name");
        assertThatThrownBy(() -> DeviceMatch.fromAttributes(Map.of("driver", "x", "vid", "16c0", "score", "-3")))
                .hasMessageContaining("score=-3");
    }

    @Test
    void aRowsSettingsKeysAreReadAsTheFrameworkOrAConfigurationGivesThemAndBlanksAreLeftOut() {
        assertThat(DeviceMatch.settings(Map.of("driver", "usbtmc", "settings", List.of("scpi.*"))))
                .containsExactly("scpi.*");
        assertThat(DeviceMatch.settings(Map.of("settings", new String[] { "audio.rate", null, " " })))
                .containsExactly("audio.rate");
        assertThat(DeviceMatch.settings(Map.of("settings", "audio.rate, audio.weightings,"))).containsExactly(
                "audio.rate", "audio.weightings");
        assertThat(DeviceMatch.settings(Map.of("driver", "co2mon"))).isEmpty();
        assertThat(DeviceMatch.fromAttributes(Map.of("driver", "usbtmc", "class", "fe", "settings", List.of("scpi.*"))))
                .isEqualTo(new DeviceMatch("usbtmc", -1, -1, null, null, 0xfe, -1, -1, 0));
    }
}
