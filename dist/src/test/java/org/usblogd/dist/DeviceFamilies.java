package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/**
 * What every driver family must have stored from its twins, wherever the twins are plugged in (the virtual
 * bus of --demo or umockdev under libusb), as each family's twin bundle declares it in
 * {@code META-INF/usblogd/expected.tsv}: plausible values only (so the quirks — stale first replies, garbage
 * first packets, spurious CO2 — were handled), in the declared units, and the events each device must give.
 * No family is named here: a new family's twin on the test class path is checked as it comes.
 */
final class DeviceFamilies {
    private static final String EXPECTED = "META-INF/usblogd/expected.tsv";

    /** One line of a family's expectations. */
    record Expected(String family, String what, String device, List<String> args) {
        @Override
        public String toString() {
            return family + ": " + what + " " + device + " " + String.join(" ", args);
        }
    }

    private DeviceFamilies() {
    }

    /** Every family's demo twins, new, as the demo plugs them in. */
    static List<DeviceModel> demoModels(long seed) {
        List<DeviceModel> all = new ArrayList<>();
        for (DemoModels family : ServiceLoader.load(DemoModels.class)) {
            all.addAll(family.models(seed++));
        }
        assertThat(all).as("twins on the test class path").isNotEmpty();
        return all;
    }

    /** Every line of every family's expectations. */
    static List<Expected> expected() {
        List<Expected> rows = new ArrayList<>();
        try {
            for (URL url : Collections.list(DeviceFamilies.class.getClassLoader().getResources(EXPECTED))) {
                String family = url.toString().replaceAll(".*/([a-z0-9]+)-twin[^/]*\\.jar!.*", "$1")
                        .replaceAll(".*/plugins/([a-z0-9]+)/twin/.*", "$1");
                try (InputStream in = url.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (line.isBlank() || line.startsWith("#")) {
                            continue;
                        }
                        String[] f = line.split("\t", -1);
                        rows.add(new Expected(family, f[0], f[1], List.of(f).subList(2, f.length)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(rows).as("expectations of the twins on the test class path").isNotEmpty();
        return rows;
    }

    /**
     * The key of the demo device with this vendor:product that a driver took (it declared channels); null
     * while there is none.
     */
    static String key(Samples s, String vidPid) {
        for (String k : s.deviceKeys()) {
            if (k.startsWith(vidPid) && !s.channelUnits(k).isEmpty()) {
                return k;
            }
        }
        return null;
    }

    /** Whether every sample and event each family expects has been stored. */
    static boolean allLogging(Samples s) {
        try {
            for (Expected e : expected()) {
                String key = key(s, e.device());
                if (e.what().equals("sample") && (key == null
                        || s.doubles(key, e.args().get(0)).size() < Integer.parseInt(e.args().get(4)))) {
                    return false;
                }
                if (e.what().equals("event") && (key == null || s.events(key, e.args().get(0)).isEmpty())) {
                    return false;
                }
            }
            return true;
        } catch (AssertionError e) {
            return false; // the database is not there yet
        }
    }

    static void assertPlausible(Samples s) {
        for (Expected e : expected()) {
            String key = e.what().equals("free") ? null : key(s, e.device());
            switch (e.what()) {
            case "sample" -> {
                String channel = e.args().get(0);
                assertThat(s.channelUnits(key)).as("%s: unit", e).contains(channel + " " + e.args().get(1));
                double min = Double.parseDouble(e.args().get(2));
                double max = Double.parseDouble(e.args().get(3));
                assertThat(s.doubles(key, channel)).as("%s on %s", e, key)
                        .hasSizeGreaterThanOrEqualTo(Integer.parseInt(e.args().get(4)))
                        .allSatisfy(v -> assertThat(v).isBetween(min, max));
            }
            case "event" -> assertThat(s.events(key, e.args().get(0))).as("%s on %s", e, key)
                    .anySatisfy(m -> assertThat(m).startsWith(e.args().size() > 1 ? e.args().get(1) : ""));
            case "none" -> assertThat(s.doubles(key, e.args().get(0))).as("%s on %s", e, key).isEmpty();
            case "free" -> assertThat(s.deviceKeys()).as("%s", e)
                    .anySatisfy(k -> assertThat(k).startsWith(e.device())
                            .satisfies(x -> assertThat(s.channelUnits(x)).as("no driver took " + x).isEmpty()));
            default -> throw new AssertionError("an expectation this test does not know: " + e);
            }
        }
    }

    /** Samples per second of the power meter's voltage over its last {@code seconds}: about 100. */
    static double powerRate(Samples s, double seconds) {
        String power = key(s, "2e3c:5558");
        List<Long> t = s.times(power, "voltage");
        long last = t.get(t.size() - 1);
        long from = last - (long) (seconds * 1_000_000);
        return t.stream().filter(x -> x > from).count() / seconds;
    }
}
