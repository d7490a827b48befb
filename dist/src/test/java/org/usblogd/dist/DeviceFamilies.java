package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/**
 * What each driver family must have stored from its twin, wherever the twins are plugged in (the virtual
 * bus of --demo or umockdev under libusb): plausible values only, so that the quirks (stale first replies,
 * garbage first packets, spurious CO2) were handled, and every channel of each device.
 */
final class DeviceFamilies {
    /** Device keys of the twins by family. */
    record Keys(String co2, String temperGold, String temperHum, String temperTwoProbes, String sound, String scale,
            String power, String diy, String pico, String ftdi, String ch340, String cp210x, String rigol,
            String keysight) {
    }

    private DeviceFamilies() {
    }

    static boolean allLogging(Samples samples, Keys k) {
        try {
            return !samples.doubles(k.co2(), "co2").isEmpty() && !samples.doubles(k.temperGold(), "temperature").isEmpty()
                    && !samples.doubles(k.temperHum(), "humidity").isEmpty()
                    && !samples.doubles(k.temperTwoProbes(), "probe_temperature").isEmpty()
                    && samples.doubles(k.sound(), "level").size() >= 2
                    && !samples.doubles(k.scale(), "weight_g").isEmpty()
                    && samples.doubles(k.power(), "voltage").size() >= 100
                    && samples.doubles(k.diy(), "pressure").size() >= 2
                    && samples.doubles(k.pico(), "T").size() >= 2 && samples.doubles(k.ftdi(), "pressure").size() >= 2
                    && samples.doubles(k.ch340(), "rh").size() >= 2
                    && samples.doubles(k.cp210x(), "pressure").size() >= 2
                    && samples.doubles(k.rigol(), "current").size() >= 2
                    && samples.doubles(k.keysight(), "voltage").size() >= 2;
        } catch (AssertionError e) {
            return false; // the database is not there yet
        }
    }

    static void assertPlausible(Samples s, Keys k) {
        assertThat(s.doubles(k.co2(), "co2")).allSatisfy(v -> assertThat(v).isBetween(400.0, 5000.0));
        for (String temper : new String[] { k.temperGold(), k.temperHum(), k.temperTwoProbes() }) {
            assertThat(s.doubles(temper, "temperature")).as("%s: the stale first reply (0 °C) is discarded", temper)
                    .allSatisfy(v -> assertThat(v).isBetween(15.0, 30.0));
        }
        assertThat(s.doubles(k.temperHum(), "humidity")).allSatisfy(v -> assertThat(v).isBetween(20.0, 80.0));
        assertThat(s.doubles(k.temperTwoProbes(), "probe_temperature"))
                .allSatisfy(v -> assertThat(v).isBetween(15.0, 30.5));
        assertThat(s.events(k.temperHum(), "temper.firmware")).first().asString().startsWith("TEMPerHUM_V3.8 (CENTI");
        assertThat(s.events(k.temperTwoProbes(), "temper.firmware")).first().asString()
                .as("the full string after a short first reply").startsWith("TEMPer2_V1.3 (FM75");
        assertThat(s.doubles(k.sound(), "level")).allSatisfy(v -> assertThat(v).isBetween(30.0, 130.0));
        assertThat(s.events(k.sound(), "meter.settings")).contains("range 0, weighting A, fast");
        assertThat(s.doubles(k.scale(), "weight_g")).containsOnly(5998.0);
        assertThat(s.doubles(k.scale(), "weight_oz")).containsOnly(0.0, 211.6);
        assertThat(s.events(k.scale(), "scale.over-weight")).isNotEmpty();
        assertThat(s.doubles(k.power(), "voltage")).as("the garbage first report is discarded")
                .allSatisfy(v -> assertThat(v).isBetween(4.98, 5.02));
        assertThat(s.doubles(k.power(), "current")).allSatisfy(v -> assertThat(v).isBetween(0.5, 1.5));
        assertThat(s.doubles(k.power(), "d_plus")).containsOnly(2.9);
        assertThat(s.doubles(k.power(), "d_minus")).containsOnly(0.1);
        assertThat(s.doubles(k.power(), "temperature")).allSatisfy(v -> assertThat(v).isBetween(25.0, 25.4));
        assertThat(s.doubles(k.diy(), "temperature")).allSatisfy(v -> assertThat(v).isBetween(-10.0, 35.0));
        assertThat(s.doubles(k.diy(), "pressure")).as("status reports (ID 2) are not read as values")
                .allSatisfy(v -> assertThat(v).isBetween(950.0, 1050.0));
        assertThat(s.doubles(k.diy(), "battery")).containsOnly(87.0);
        assertThat(s.doubles(k.pico(), "T")).allSatisfy(v -> assertThat(v).isBetween(21.0, 22.0));
        assertThat(s.doubles(k.pico(), "P")).allSatisfy(v -> assertThat(v).isBetween(1013.0, 1013.5));
        assertThat(s.events(k.pico(), "serial.open")).first().asString().isEqualTo("cdc-acm at 115200 8N1 DTR RTS");
        assertThat(s.doubles(k.ftdi(), "temperature")).as("status bytes stripped, lines whole")
                .allSatisfy(v -> assertThat(v).isBetween(20.0, 21.0));
        assertThat(s.doubles(k.ftdi(), "humidity")).allSatisfy(v -> assertThat(v).isBetween(40.0, 41.0));
        assertThat(s.events(k.ftdi(), "serial.open")).first().asString().isEqualTo("ftdi at 9600 8N1 DTR RTS");
        assertThat(s.doubles(k.ch340(), "temp")).allSatisfy(v -> assertThat(v).isBetween(19.0, 20.0));
        assertThat(s.doubles(k.cp210x(), "temperature")).allSatisfy(v -> assertThat(v).isBetween(18.0, 19.0));
        assertThat(s.doubles(k.cp210x(), "pressure")).allSatisfy(v -> assertThat(v).isBetween(1000.0, 1000.5));
        for (String dmm : new String[] { k.rigol(), k.keysight() }) {
            assertThat(s.doubles(dmm, "voltage")).as("%s: whole replies, multi-transfer or headerless", dmm)
                    .allSatisfy(v -> assertThat(v).isBetween(1.2344, 1.2347));
        }
        assertThat(s.doubles(k.rigol(), "current")).allSatisfy(v -> assertThat(v).isBetween(0.01229, 0.01231));
        assertThat(s.doubles(k.rigol(), "resistance")).as("overload is an event").isEmpty();
        assertThat(s.events(k.rigol(), "usbtmc.overload")).isNotEmpty();
        assertThat(s.events(k.rigol(), "usbtmc.identity")).first().asString()
                .isEqualTo("Rigol Technologies,DM3058,DM3A000001,01.01.00.01.08.00 (USBTMC 1.00, USB488, SCPI, TermChar)");
        assertThat(s.events(k.keysight(), "usbtmc.identity")).first().asString()
                .startsWith("Keysight Technologies,34461A,MY12345678,A.02.14-02.40-02.14-00.49-03-01 (");
    }

    /** Samples per second of the power meter's voltage over its last {@code seconds}: about 100. */
    static double powerRate(Samples s, Keys k, double seconds) {
        java.util.List<Long> t = s.times(k.power(), "voltage");
        long last = t.get(t.size() - 1);
        long from = last - (long) (seconds * 1_000_000);
        return t.stream().filter(x -> x > from).count() / seconds;
    }
}
