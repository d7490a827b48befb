package org.usblogd.framework.check;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigSelection;
import org.usblogd.api.config.ConfigTrial;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.framework.doctor.ConfigFileEncoding;

/**
 * {@code usblogd check}: every .cfg file of the configuration directories checked by the rules its component
 * applies, the attached devices each would apply to, files that overlap, and what a trial line or report
 * would give. Prints as it goes and counts the problems.
 */
public final class ConfigReport {
    /** A line or report to try on every file that reads that kind of input. */
    public record Trial(String kind, String input) {
    }

    private final InstalledRules rules;
    private final List<UsbDeviceInfo> attached;
    private final PrintStream out;
    private int problems;

    public ConfigReport(InstalledRules rules, List<UsbDeviceInfo> attached, PrintStream out) {
        this.rules = rules;
        this.attached = attached;
        this.out = out;
    }

    /** Checks the files of {@code dirs}; returns how many problems it found. */
    public int run(List<Path> dirs, Optional<Trial> trial) throws IOException {
        rules.problems().forEach(this::problem);
        Map<ConfFile, ConfigSelection> selections = new LinkedHashMap<>();
        int tried = 0;
        int recorded = 0;
        int refused = 0;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                problem(dir + " is no directory: there is nothing to check");
                continue;
            }
            List<ConfFile> files = ConfFile.list(dir);
            List<String> encoding = ConfigFileEncoding.problems(dir);
            out.println(dir + ": " + files.size() + " file(s)" + (files.isEmpty() ? "" : ", "
                    + attached.size() + " USB device(s) attached"));
            for (ConfFile f : files) {
                ConfigRules r = rules.forPid(f.pid());
                List<String> found = problems(f, r);
                encoding.stream().filter(l -> l.startsWith(f.path() + ":")).forEach(found::add);
                Optional<ConfigSelection> selection = selection(f, r);
                out.println(f.path() + ": " + (found.isEmpty() ? r == null ? "not checked: no installed bundle or"
                        + " plugin has rules for " + f.pid() : "right" : found.size() + " problem(s)")
                        + selection.map(s -> "; " + s.describe()).orElse(""));
                found.forEach(l -> problem("  ", l));
                selection.ifPresent(s -> {
                    selections.put(f, s);
                    attachedMatching(s);
                });
                if (trial.isPresent() && r != null && r.trialInputs().contains(trial.get().kind())) {
                    tried++;
                    switch (tryOn(f, r, found.isEmpty(), trial.get())) {
                    case RECORDED -> recorded++;
                    case REFUSED -> refused++;
                    default -> { }
                    }
                }
            }
        }
        overlaps(selections);
        if (trial.isPresent()) {
            Trial t = trial.get();
            if (tried == 0) {
                problem("no file in " + dirs.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + " reads a " + t.kind() + (ConfigRules.LINE.equals(t.kind()) ? " (serial devices)"
                                : " (HID devices)"));
            } else if (recorded == 0 && refused < tried) {
                problem("no file records anything from " + t.kind() + " '" + t.input() + "'");
            }
        }
        out.println(problems == 0 ? "no problems found" : problems + " problem(s) found");
        return problems;
    }

    /**
     * What is wrong in a file by its component's rules; a file named for a usblogd component that is not
     * installed is wrong too (a misspelt name), one for someone else's is left to them.
     */
    private List<String> problems(ConfFile f, ConfigRules r) {
        List<String> found = new ArrayList<>();
        if (f.unreadable() != null) {
            found.add(f.path() + ": cannot be read: " + f.unreadable());
        } else if (r == null && f.pid().startsWith("org.usblogd.")) {
            found.add(f.path() + ": no installed bundle or plugin reads " + f.pid() + " (installed: "
                    + String.join(", ", rules.pids()) + "); the daemon leaves this file unused");
        } else if (r != null && f.factory() && !r.factory()) {
            found.add(f.path() + ": " + r.pid() + " is read from one file, " + r.pid() + ".cfg; a file named "
                    + r.pid() + "-NAME.cfg is left unused");
        } else if (r != null) {
            found.addAll(r.problems(f.properties()));
        }
        return found;
    }

    /** The devices a file is about, as far as its keys say; none when they do not. */
    private static Optional<ConfigSelection> selection(ConfFile f, ConfigRules r) {
        if (r == null || f.unreadable() != null || f.factory() && !r.factory()) {
            return Optional.empty();
        }
        try {
            return r.selection(f.properties());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // among the file's problems
        }
    }

    private void attachedMatching(ConfigSelection s) {
        List<UsbDeviceInfo> matching = attached.stream().filter(s::matches).toList();
        if (matching.isEmpty()) {
            out.println("  attached: no attached device matches");
        }
        matching.forEach(d -> out.println("  attached: " + name(d)));
    }

    private enum Outcome {
        RECORDED, NOTHING, REFUSED
    }

    /** Whether the file would record at least one sample from the input; refused: the input is not one. */
    private Outcome tryOn(ConfFile f, ConfigRules r, boolean right, Trial t) {
        String head = "  " + t.kind() + " '" + t.input() + "': ";
        if (!right) {
            out.println(head + "not tried: the file has problems");
            return Outcome.NOTHING;
        }
        ConfigTrial result;
        try {
            result = r.trial(f.properties(), t.kind(), t.input());
        } catch (IllegalArgumentException e) {
            problem(head, e.getMessage());
            return Outcome.REFUSED;
        }
        if (result.samples().isEmpty()) {
            out.println(head + "nothing recorded" + (result.unread() == null ? "" : ": " + result.unread()));
        } else {
            out.println(head + result.samples().stream().map(ConfigReport::sample).collect(Collectors.joining(", ")));
        }
        result.dropped().forEach(d -> out.println("    dropped: " + d));
        return result.samples().isEmpty() ? Outcome.NOTHING : Outcome.RECORDED;
    }

    /** "T 21.5 °C", "count 3": the value as written, its unit unless it has none. */
    static String sample(ConfigTrial.Sample s) {
        String v = BigDecimal.valueOf(s.value()).stripTrailingZeros().toPlainString();
        return s.channel() + " " + v + (s.unit() == null || s.unit().isBlank() || s.unit().equals("1") ? ""
                : " " + s.unit());
    }

    /**
     * Files about the same devices: always when their selections overlap, and for configured drivers also when
     * both take an attached device (rows that only meet on some devices).
     */
    private void overlaps(Map<ConfFile, ConfigSelection> selections) {
        List<Map.Entry<ConfFile, ConfigSelection>> all = new ArrayList<>(selections.entrySet());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                ConfigSelection a = all.get(i).getValue();
                ConfigSelection b = all.get(j).getValue();
                Path fa = all.get(i).getKey().path();
                Path fb = all.get(j).getKey().path();
                if (a.overlaps(b) && a instanceof ConfigSelection.DriverRow) {
                    problem(fa + " and " + fb + " match the same devices (" + a.describe() + "; " + b.describe()
                            + "): one driver takes each of them and the other file is left out; narrow one of them"
                            + " (match.serial, match.port) or remove it");
                } else if (a.overlaps(b)) {
                    problem(fa + " and " + fb + " are both " + a.describe() + ": where both set a key, either may"
                            + " win; keep one of them");
                } else if (a instanceof ConfigSelection.DriverRow && b instanceof ConfigSelection.DriverRow) {
                    attached.stream().filter(d -> a.matches(d) && b.matches(d)).forEach(d -> problem(fa + " and " + fb
                            + " both match attached device " + name(d) + ": one driver takes it and the other file is"
                            + " left out; narrow one of them (match.serial, match.port) or remove it"));
                }
            }
        }
    }

    /** "2e8a:000a:E6605838 at 1-4 (Raspberry Pi Pico)": the ID `usblogd devices` shows, the port, the strings. */
    private static String name(UsbDeviceInfo d) {
        String strings = ((d.manufacturer() == null ? "" : d.manufacturer() + " ")
                + (d.product() == null ? "" : d.product())).strip();
        return DeviceIdentity.of(d).key() + " at " + d.portPath() + (strings.isEmpty() ? "" : " (" + strings + ")");
    }

    private void problem(String line) {
        problem("", line);
    }

    private void problem(String indent, String line) {
        problems++;
        out.println(indent + "PROBLEM: " + line);
    }
}
