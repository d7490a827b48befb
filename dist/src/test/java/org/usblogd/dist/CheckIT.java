package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.serial.twin.PicoSerialTwin;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * {@code usblogd check} of the assembled installation, on an emulated bus (so that the attached devices are
 * those the test plugs in, whatever the machine has): its shipped and demo files, the mistakes of a user
 * editing them, trial lines and reports, and two files for one device.
 */
class CheckIT {
    @TempDir
    Path conf;

    private static Cli.Result check(UsbTestbed testbed, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("check"));
        cmd.addAll(List.of(args));
        return Cli.run(Dist.home(), List.of(), testbed.environment(), cmd.toArray(String[]::new));
    }

    /** The installation's conf/ and one of its demo files, copied to be edited. */
    private void copyConfiguration(String... demoFiles) throws Exception {
        try (var s = Files.list(Dist.home().resolve("conf"))) {
            for (Path f : s.toList()) {
                Files.copy(f, conf.resolve(f.getFileName()));
            }
        }
        for (String f : demoFiles) {
            Files.copy(Dist.home().resolve("demo/conf").resolve(f), conf.resolve(f));
        }
    }

    private void append(String file, String... lines) throws Exception {
        Files.writeString(conf.resolve(file), "\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    @Test
    void anOutputFileIsCheckedByTheRulesTheOutputApplies() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.output-central.cfg"), "type = postgresql\nurl ="
                + " jdbc:postgresql://db.example/loggers\nuser = logger\npassword = secret\n");
        Files.writeString(conf.resolve("org.usblogd.output-broken.cfg"), "type = postgresql\nurl = db.example\n"
                + "batch = 0\npasword = secret\n");
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--conf", conf.toString());

            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            Path broken = conf.resolve("org.usblogd.output-broken.cfg");
            assertThat(r.out()).contains(conf.resolve("org.usblogd.output-central.cfg") + ": right\n");
            assertThat(r.out().lines().filter(l -> l.contains("PROBLEM")).toList()).containsExactly(
                    "  PROBLEM: " + broken + ": batch = 0 is not valid: expected a whole number from 1 to 100000",
                    "  PROBLEM: " + broken + ": url = db.example is not valid: expected"
                            + " jdbc:postgresql://HOST[:PORT]/DATABASE",
                    "  PROBLEM: " + broken + ": unknown key pasword = (not shown) is ignored (the nearest known key is"
                            + " password)");
            assertThat(r.out()).doesNotContain("secret");
        }
    }

    @Test
    void theShippedAndDemoFilesAreRightAndEachSaysWhatItWouldMatch() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--demo");

            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.err()).as("%s", r).isEmpty();
            Path home = Dist.home();
            assertThat(r.out()).contains(
                    home.resolve("conf/org.usblogd.store.cfg") + ": right\n",
                    home.resolve("conf/org.usblogd.usb.cfg") + ": right\n",
                    home.resolve("conf/org.usblogd.usb.libusb.cfg") + ": right\n",
                    home.resolve("conf/org.usblogd.plugins.cfg") + ": right\n",
                    home.resolve("conf/org.usblogd.http.cfg") + ": right\n",
                    home.resolve("demo/conf/org.usblogd.serial-pico.cfg")
                            + ": right; driver serial/pico: 2e8a:000a (score 200)\n  attached: no attached device matches\n",
                    home.resolve("demo/conf/org.usblogd.hid-diy.cfg") + ": right; driver hid/diy: 1209:c0de (score 200)\n",
                    home.resolve("demo/conf/org.usblogd.device-dmm.cfg") + ": right; settings of device 1ab1:09c4\n",
                    "no problems found");
        }
    }

    @Test
    void eachMistakeIsOneLineNamingTheFileTheKeyTheValueAndWhatItTakes() throws Exception {
        copyConfiguration("org.usblogd.serial-ftdi.cfg");
        append("org.usblogd.serial-ftdi.cfg", "dtr = yes", "paritty = even");
        append("org.usblogd.store.cfg", "visibility.ms = abc");
        append("org.usblogd.http.cfg", "address = 0.0.0.0");
        Files.writeString(conf.resolve("org.usblogd.stor.cfg"), "visibility.ms = 50\n");
        Files.writeString(conf.resolve("org.example.thing.cfg"), "anything = goes\n");
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--conf", conf.toString());

            System.out.println(r.out());
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).as("%s", r).isEmpty();
            Path ftdi = conf.resolve("org.usblogd.serial-ftdi.cfg");
            Path store = conf.resolve("org.usblogd.store.cfg");
            Path http = conf.resolve("org.usblogd.http.cfg");
            assertThat(r.out().lines().filter(l -> l.contains("PROBLEM")).toList()).containsExactly(
                    "  PROBLEM: " + http + ": address = 0.0.0.0 reaches beyond this machine and no token is set; the"
                            + " HTTP API does not start: set token = (a long random secret, e.g. from 'openssl rand"
                            + " -hex 16') in " + http + ", or address = 127.0.0.1",
                    "  PROBLEM: " + ftdi + ": dtr = yes is not valid: expected true or false",
                    "  PROBLEM: " + ftdi + ": unknown key paritty = even is ignored (the nearest known key is parity)",
                    "  PROBLEM: " + conf.resolve("org.usblogd.stor.cfg") + ": no installed bundle or plugin reads"
                            + " org.usblogd.stor (installed: org.usblogd.device, org.usblogd.hid, org.usblogd.http,"
                            + " org.usblogd.output, org.usblogd.plugins, org.usblogd.serial, org.usblogd.store, org.usblogd.usb, org.usblogd.usb.libusb); the"
                            + " daemon leaves this file unused",
                    "  PROBLEM: " + store + ": visibility.ms = abc is not valid: expected a whole number from 10 to"
                            + " 3600000");
            assertThat(r.out()).contains(ftdi + ": 2 problem(s); driver serial/ftdi: 0403:6001 (score 200)",
                    store + ": 1 problem(s)", conf.resolve("org.usblogd.usb.cfg") + ": right",
                    conf.resolve("org.example.thing.cfg") + ": not checked: no installed bundle or plugin has rules"
                            + " for org.example.thing",
                    http + ": 1 problem(s)", "5 problem(s) found");
        }
    }

    @Test
    void aDeviceFileTakesTheKeysItsInstalledDriverDeclaresAndATypoOfThemIsOneLine() throws Exception {
        copyConfiguration("org.usblogd.device-dmm.cfg");
        Path mic = conf.resolve("org.usblogd.device-mic.cfg");
        Files.writeString(mic, "device = 0d8c:0016\naudio.calibration.db = 94\naudio.weightings = A,C\n"
                + "audoi.rate = 48000\n");
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--conf", conf.toString());

            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.out().lines().filter(l -> l.contains("PROBLEM")).toList()).containsExactly(
                    "  PROBLEM: " + mic + ": unknown key audoi.rate = 48000 is ignored (the nearest known key is"
                            + " audio.rate)");
            assertThat(r.out()).contains(conf.resolve("org.usblogd.device-dmm.cfg") + ": right;",
                    mic + ": 1 problem(s); settings of device 0d8c:0016");
        }
    }

    @Test
    void aDriversKeysAreUnknownWhenItsPluginIsNotInstalled(@TempDir Path plugins) throws Exception {
        Path mic = conf.resolve("org.usblogd.device-mic.cfg");
        Files.writeString(mic, "device = 0d8c:0016\naudio.calibration.db = 94\n");
        try (var s = Files.list(Dist.home().resolve("plugins"))) {
            for (Path jar : s.filter(p -> !p.getFileName().toString().contains("audio")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--conf", conf.toString(), "--plugins", plugins.toString());

            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.out().lines().filter(l -> l.contains("PROBLEM")).toList()).singleElement().asString()
                    .startsWith("  PROBLEM: " + mic + ": unknown key audio.calibration.db = 94 is ignored");
        }
    }

    @Test
    void aLineShowsTheSamplesTheSerialFileWouldRecordWithTheirUnits() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--demo", "--line", "T=21.5,H=45");

            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).contains(Dist.home().resolve("demo/conf/org.usblogd.serial-pico.cfg")
                    + ": right; driver serial/pico: 2e8a:000a (score 200)\n  attached: no attached device matches\n"
                    + "  line 'T=21.5,H=45': T 21.5 °C, H 45 %RH\n");
            assertThat(r.out()).contains("line 'T=21.5,H=45': nothing recorded: the line holds no value in this file's"
                    + " format");

            Cli.Result hot = check(testbed, "--demo", "--line", "T=120 H=45.2 P=1013.2");
            assertThat(hot.exit()).as("%s", hot).isZero();
            assertThat(hot.out()).contains("  line 'T=120 H=45.2 P=1013.2': H 45.2 %RH, P 1013.2 hPa\n"
                    + "    dropped: T 120.0 (configured: -40 to 85)\n");

            Cli.Result garbage = check(testbed, "--demo", "--line", "#$%!");
            assertThat(garbage.exit()).as("%s", garbage).isEqualTo(1);
            assertThat(garbage.out()).contains("PROBLEM: no file records anything from line '#$%!'");
        }
    }

    @Test
    void aReportShowsTheSamplesTheHidFileWouldRecordWithTheirUnits() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            Cli.Result r = check(testbed, "--demo", "--report", "01 0a 08 27 94 4b");

            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).contains("  report '01 0a 08 27 94 4b': battery 75 %, pressure 1013.2 hPa,"
                    + " temperature 20.58 °C\n");

            Cli.Result shortReport = check(testbed, "--demo", "--report", "010a08");
            assertThat(shortReport.exit()).as("%s", shortReport).isEqualTo(1);
            assertThat(shortReport.out()).contains("  report '010a08': nothing recorded: the report has 3 byte(s); the"
                    + " fields need 6");

            Cli.Result notHex = check(testbed, "--demo", "--report", "hello");
            assertThat(notHex.exit()).as("%s", notHex).isEqualTo(1);
            assertThat(notHex.out()).contains("  report 'hello': PROBLEM: a report is hex bytes such as '01 0a 08 27';"
                    + " 'hello' is something else\n",
                    "\n1 problem(s) found");
        }
    }

    @Test
    void theAttachedDevicesAFileTakesAreListedAndTwoFilesForOneDeviceAreReported() throws Exception {
        copyConfiguration("org.usblogd.serial-pico.cfg", "org.usblogd.device-dmm.cfg");
        // another file for the same board, by its port: rows that meet only on the device plugged there
        Files.writeString(conf.resolve("org.usblogd.serial-bench.cfg"), "match.port = 1-3\nformat = keyvalue\n"
                + "channel.T.unit = °C\n");
        Files.copy(conf.resolve("org.usblogd.device-dmm.cfg"), conf.resolve("org.usblogd.device-dmm2.cfg"));
        try (UsbTestbed testbed = new UsbTestbed()) {
            testbed.plug(new PicoSerialTwin(TimeUnit.MILLISECONDS.toNanos(100), 1), 1, 3, 5);

            Cli.Result r = check(testbed, "--conf", conf.toString());

            System.out.println(r.out());
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            Path pico = conf.resolve("org.usblogd.serial-pico.cfg");
            Path bench = conf.resolve("org.usblogd.serial-bench.cfg");
            assertThat(r.out()).contains(
                    pico + ": right; driver serial/pico: 2e8a:000a (score 200)\n"
                            + "  attached: 2e8a:000a:E6614C311B7A2F2B at 1-3 (Raspberry Pi Pico)\n",
                    bench + ": right; driver serial/bench: port 1-3 (score 200)\n"
                            + "  attached: 2e8a:000a:E6614C311B7A2F2B at 1-3 (Raspberry Pi Pico)\n",
                    conf.resolve("org.usblogd.device-dmm.cfg") + ": right; settings of device 1ab1:09c4\n"
                            + "  attached: no attached device matches\n",
                    "PROBLEM: " + bench + " and " + pico + " both match attached device 2e8a:000a:E6614C311B7A2F2B at"
                            + " 1-3 (Raspberry Pi Pico): one driver takes it and the other file is left out",
                    "PROBLEM: " + conf.resolve("org.usblogd.device-dmm.cfg") + " and "
                            + conf.resolve("org.usblogd.device-dmm2.cfg") + " are both settings of device 1ab1:09c4:"
                            + " where both set a key, either may win; keep one of them",
                    "2 problem(s) found");
        }
    }
}
