package org.usblogd.audio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capture settings of the USB Audio Class functions in a configuration descriptor, read from the raw
 * bytes GET_DESCRIPTOR(CONFIGURATION) returns (configuration, interfaces, endpoints and the class-specific
 * descriptors between them). Devices get these descriptors wrong often enough that nothing here trusts
 * them: whatever cannot be used is left out with a note saying why, and no input, however broken, makes
 * {@link #parse} throw or loop.
 *
 * <p>Sources: USB Device Class Definition for Audio Devices 1.0 (4.3.2, 4.5.2, 4.6.1) and Audio Data
 * Formats 1.0 (2.2.5); Audio Devices 2.0 (4.7, 4.9) and Audio Formats 2.0 (2.3.1.6).
 */
record UacDescriptors(List<CaptureSetting> captures, List<String> notes) {

    static final int AUDIO = 0x01;
    static final int AUDIOCONTROL = 0x01;
    static final int AUDIOSTREAMING = 0x02;
    static final int IP_VERSION_02_00 = 0x20;
    static final int IP_VERSION_03_00 = 0x30;

    private static final int INTERFACE = 0x04;
    private static final int ENDPOINT = 0x05;
    private static final int CS_INTERFACE = 0x24;
    private static final int CS_ENDPOINT = 0x25;
    private static final int PCM = 0x0001;
    private static final int FORMAT_TYPE_I = 0x01;
    /** Longest chain of units or clock entities followed: a loop in a broken descriptor set ends here. */
    private static final int MAX_HOPS = 32;

    /** A prefix every note of an exception the parser did not foresee carries; the tests look for it. */
    static final String PARSER_FAULT = "parser fault: ";

    UacDescriptors {
        captures = List.copyOf(captures);
        notes = List.copyOf(notes);
    }

    /** What could be read from {@code configuration}; never throws. */
    static UacDescriptors parse(byte[] configuration) {
        try {
            return new Parser().run(configuration);
        } catch (RuntimeException e) {
            // a guard, not a path: every read is bounds-checked, and the tests feed random bytes to prove it
            return new UacDescriptors(List.of(), List.of(PARSER_FAULT + e));
        }
    }

    /** Why nothing is usable, or null when something is. */
    String unusableBecause() {
        if (!captures.isEmpty()) {
            return null;
        }
        return notes.isEmpty() ? "no audio streaming interface with an isochronous IN endpoint"
                : "no usable capture setting: " + String.join("; ", notes);
    }

    private enum Kind { INPUT_TERMINAL, OUTPUT_TERMINAL, UNIT, CLOCK_SOURCE, CLOCK_SELECTOR, CLOCK_MULTIPLIER }

    /** A terminal, unit or clock entity of an audio control interface, by its ID. */
    private record Entity(Kind kind, int terminalType, int[] sources, int clock, int controls) {
    }

    /** One audio function: its control interface and the entities declared there. */
    private static final class Function {
        final int controlInterface;
        final int uac;
        final Map<Integer, Entity> entities = new HashMap<>();

        Function(int controlInterface, int uac) {
            this.controlInterface = controlInterface;
            this.uac = uac;
        }
    }

    /** An audio streaming alternate setting as its descriptors come by. */
    private static final class Alt {
        final Function function;
        final int number;
        final int alternate;
        final int protocol;
        int terminalLink = -1;
        boolean general;
        int formatTag = -1;
        long formats = -1;
        int formatType = -1;
        int channels = -1;
        int subslot = -1;
        int bits = -1;
        final List<Integer> rates = new ArrayList<>();
        int minRate;
        int maxRate;
        int endpoint = -1;
        int maxPacketSize;
        int interval;
        boolean endpointRateControl;
        boolean lastEndpointIsData;
        String problem;

        Alt(Function function, int number, int alternate, int protocol) {
            this.function = function;
            this.number = number;
            this.alternate = alternate;
            this.protocol = protocol;
        }

        String name() {
            return "interface " + number + " alt " + alternate;
        }

        void problem(String why) {
            if (problem == null) {
                problem = why;
            }
        }
    }

    private static final class Parser {
        private final List<Alt> alts = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private Function function;
        private Alt alt;
        private boolean inControl;

        UacDescriptors run(byte[] bytes) {
            DescriptorWalk walk = DescriptorWalk.of(bytes);
            if (walk.stoppedBecause() != null) {
                notes.add("descriptors cut short: " + walk.stoppedBecause());
            }
            for (Descriptor d : walk.descriptors()) {
                switch (d.type()) {
                case INTERFACE -> onInterface(d);
                case CS_INTERFACE -> {
                    if (inControl) {
                        onControl(d);
                    } else if (alt != null) {
                        onStreaming(d);
                    }
                }
                case ENDPOINT -> {
                    if (alt != null) {
                        onEndpoint(d);
                    }
                }
                case CS_ENDPOINT -> {
                    if (alt != null && alt.lastEndpointIsData) {
                        onClassEndpoint(d);
                    }
                }
                default -> {
                    // configuration, strings, IADs and other classes' descriptors say nothing about capture
                }
                }
            }
            List<CaptureSetting> captures = new ArrayList<>();
            for (Alt a : alts) {
                CaptureSetting c = finish(a);
                if (c != null) {
                    captures.add(c);
                }
            }
            return new UacDescriptors(captures, notes);
        }

        private void onInterface(Descriptor d) {
            alt = null;
            inControl = false;
            if (!d.has(9)) {
                notes.add("an interface descriptor of " + d.length() + " bytes (9 expected) skipped");
                return;
            }
            int number = d.u8(2);
            int alternate = d.u8(3);
            int cls = d.u8(5);
            int sub = d.u8(6);
            int protocol = d.u8(7);
            if (cls != AUDIO) {
                return;
            }
            if (sub == AUDIOCONTROL) {
                if (alternate == 0) {
                    function = new Function(number, protocol == IP_VERSION_02_00 ? 2 : 1);
                }
                inControl = function != null && function.controlInterface == number;
                if (protocol == IP_VERSION_03_00 && alternate == 0) {
                    notes.add("interface " + number + " is USB Audio Class 3.0, which is not supported");
                }
            } else if (sub == AUDIOSTREAMING) {
                alt = new Alt(function, number, alternate, protocol);
                alts.add(alt);
            }
        }

        private void onControl(Descriptor d) {
            int uac = function.uac;
            int id = d.u8(3);
            switch (d.subtype()) {
            case 0x02 -> { // input terminal
                if (d.has(uac == 2 ? 17 : 12)) {
                    put(id, new Entity(Kind.INPUT_TERMINAL, d.u16(4), new int[0], uac == 2 ? d.u8(7) : -1, 0));
                }
            }
            case 0x03 -> { // output terminal
                if (d.has(uac == 2 ? 12 : 9)) {
                    put(id, new Entity(Kind.OUTPUT_TERMINAL, d.u16(4), new int[] { d.u8(7) },
                            uac == 2 ? d.u8(8) : -1, 0));
                }
            }
            case 0x04, 0x05 -> put(id, unit(d, 4)); // mixer, selector: bNrInPins at 4
            case 0x06 -> { // feature unit
                if (d.has(5)) {
                    put(id, new Entity(Kind.UNIT, 0, new int[] { d.u8(4) }, -1, 0));
                }
            }
            case 0x07 -> put(id, uac == 2 ? effect(d) : unit(d, 6)); // UAC1 processing, UAC2 effect unit
            case 0x08 -> put(id, unit(d, 6)); // UAC1 extension, UAC2 processing unit
            case 0x09 -> put(id, uac == 2 ? unit(d, 6) : null); // UAC2 extension unit
            case 0x0A -> { // UAC2 clock source
                if (uac == 2 && d.has(8)) {
                    put(id, new Entity(Kind.CLOCK_SOURCE, 0, new int[0], -1, d.u8(5)));
                }
            }
            case 0x0B -> { // UAC2 clock selector
                if (uac == 2) {
                    Entity pins = unit(d, 4);
                    put(id, pins == null ? null : new Entity(Kind.CLOCK_SELECTOR, 0, pins.sources(), -1, 0));
                }
            }
            case 0x0C -> { // UAC2 clock multiplier
                if (uac == 2 && d.has(7)) {
                    put(id, new Entity(Kind.CLOCK_MULTIPLIER, 0, new int[] { d.u8(4) }, -1, 0));
                }
            }
            default -> {
                // header, sample rate converters and the rest: not on the path from a microphone
            }
            }
        }

        /** A unit with bNrInPins at {@code pinsAt} followed by that many source IDs, or null if cut short. */
        private static Entity unit(Descriptor d, int pinsAt) {
            int n = d.u8(pinsAt);
            if (n < 0 || !d.has(pinsAt + 1 + n)) {
                return null;
            }
            int[] sources = new int[n];
            for (int i = 0; i < n; i++) {
                sources[i] = d.u8(pinsAt + 1 + i);
            }
            return new Entity(Kind.UNIT, 0, sources, -1, 0);
        }

        private static Entity effect(Descriptor d) {
            return d.has(7) ? new Entity(Kind.UNIT, 0, new int[] { d.u8(6) }, -1, 0) : null;
        }

        private void put(int id, Entity e) {
            if (e != null && id > 0) {
                function.entities.putIfAbsent(id, e);
            }
        }

        private void onStreaming(Descriptor d) {
            boolean two = alt.protocol == IP_VERSION_02_00;
            if (d.subtype() == 0x01) { // AS_GENERAL
                if (!d.has(two ? 16 : 7)) {
                    alt.problem("AS_GENERAL descriptor of " + d.length() + " bytes");
                    return;
                }
                alt.general = true;
                alt.terminalLink = d.u8(3);
                if (two) {
                    alt.formatType = d.u8(5);
                    alt.formats = d.u32(6);
                    alt.channels = d.u8(10);
                } else {
                    alt.formatTag = d.u16(5);
                }
            } else if (d.subtype() == 0x02) { // FORMAT_TYPE
                if (d.u8(3) != FORMAT_TYPE_I) {
                    alt.problem("format type " + d.u8(3) + ", not type I (PCM)");
                    return;
                }
                if (two) {
                    if (!d.has(6)) {
                        alt.problem("format type I descriptor of " + d.length() + " bytes");
                        return;
                    }
                    alt.subslot = d.u8(4);
                    alt.bits = d.u8(5);
                } else {
                    formatTypeOne(d);
                }
            }
        }

        private void formatTypeOne(Descriptor d) {
            int kinds = d.u8(7);
            int needed = kinds == 0 ? 14 : 8 + 3 * Math.max(0, kinds);
            if (!d.has(8) || !d.has(needed)) {
                alt.problem("format type I descriptor of " + d.length() + " bytes, " + needed + " needed");
                return;
            }
            alt.channels = d.u8(4);
            alt.subslot = d.u8(5);
            alt.bits = d.u8(6);
            if (kinds == 0) {
                alt.minRate = d.u24(8);
                alt.maxRate = d.u24(11);
            } else {
                for (int i = 0; i < kinds; i++) {
                    int rate = d.u24(8 + 3 * i);
                    if (rate > 0 && !alt.rates.contains(rate)) {
                        alt.rates.add(rate);
                    }
                }
            }
        }

        private void onEndpoint(Descriptor d) {
            alt.lastEndpointIsData = false;
            if (!d.has(7)) {
                return;
            }
            int address = d.u8(2);
            int attributes = d.u8(3);
            boolean in = (address & 0x80) != 0;
            boolean isochronous = (attributes & 0x03) == 1;
            boolean feedback = ((attributes >> 4) & 0x03) == 1;
            if (in && isochronous && !feedback && alt.endpoint < 0) {
                alt.endpoint = address;
                alt.maxPacketSize = d.u16(4);
                alt.interval = d.u8(6);
                alt.lastEndpointIsData = true;
            }
        }

        private void onClassEndpoint(Descriptor d) {
            // UAC1 EP_GENERAL bmAttributes bit 0: Sampling Frequency control; UAC2 keeps it at the clock
            if (d.subtype() == 0x01 && d.has(4) && alt.protocol != IP_VERSION_02_00) {
                alt.endpointRateControl = (d.u8(3) & 0x01) != 0;
            }
        }

        private CaptureSetting finish(Alt a) {
            if (a.endpoint < 0) {
                return null; // zero-bandwidth setting or playback: nothing to capture
            }
            String why = unusable(a);
            if (why != null) {
                notes.add(a.name() + ": " + why);
                return null;
            }
            int uac = a.protocol == IP_VERSION_02_00 ? 2 : 1;
            int clock = -1;
            boolean rateControl = a.endpointRateControl;
            int inputType = 0;
            if (a.function != null) {
                Entity link = a.function.entities.get(a.terminalLink);
                if (link != null) {
                    inputType = inputTerminalType(a.function, link);
                }
                if (uac == 2) {
                    clock = clockSource(a.function, link);
                    Entity source = a.function.entities.get(clock);
                    rateControl = source != null && (source.controls() & 0x03) == 0x03;
                    if (clock < 0) {
                        notes.add(a.name() + ": no clock source found, its rate cannot be asked or set");
                    }
                }
            }
            return new CaptureSetting(uac, a.function == null ? -1 : a.function.controlInterface, a.number,
                    a.alternate, a.terminalLink, inputType, a.channels, a.subslot, a.bits, a.rates, a.minRate,
                    a.maxRate, a.endpoint, a.maxPacketSize, a.interval, rateControl, clock);
        }

        private static String unusable(Alt a) {
            boolean two = a.protocol == IP_VERSION_02_00;
            if (a.protocol == IP_VERSION_03_00) {
                return "USB Audio Class 3.0";
            }
            if (a.function == null) {
                return "no audio control interface before it";
            }
            if (a.function.uac != (two ? 2 : 1)) {
                return "its class version differs from its control interface's";
            }
            if (!a.general) {
                return a.problem != null ? a.problem : "no AS_GENERAL descriptor";
            }
            if (two && (a.formatType != FORMAT_TYPE_I || (a.formats & 0x01) == 0)) {
                return "format type " + a.formatType + ", formats 0x" + Long.toHexString(a.formats) + ", not PCM";
            }
            if (!two && a.formatTag != PCM) {
                return "format tag 0x" + Integer.toHexString(a.formatTag) + ", not PCM";
            }
            if (a.problem != null) {
                return a.problem;
            }
            if (a.subslot < 0) {
                return "no format type I descriptor";
            }
            if (a.channels < 1 || a.channels > 2) {
                return a.channels + " channels: only mono and stereo are decoded";
            }
            if (a.subslot < 2 || a.subslot > 4) {
                return a.subslot + "-byte samples: only 2, 3 and 4 are decoded";
            }
            if (a.bits < 1 || a.bits > a.subslot * 8) {
                return a.bits + " bits in " + a.subslot + "-byte samples";
            }
            if (!two && a.rates.isEmpty() && (a.minRate <= 0 || a.maxRate < a.minRate)) {
                return "no sample rate";
            }
            if ((a.maxPacketSize & 0x7FF) == 0) {
                return "an endpoint with wMaxPacketSize 0";
            }
            return null;
        }

        /** Walks back from the output terminal through units to the input terminal that feeds it. */
        private static int inputTerminalType(Function f, Entity output) {
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            Set<Integer> seen = new HashSet<>();
            for (int s : output.sources()) {
                queue.add(s);
            }
            while (!queue.isEmpty() && seen.size() < MAX_HOPS) {
                int id = queue.poll();
                if (!seen.add(id)) {
                    continue;
                }
                Entity e = f.entities.get(id);
                if (e == null) {
                    continue;
                }
                if (e.kind() == Kind.INPUT_TERMINAL) {
                    return e.terminalType();
                }
                if (e.kind() == Kind.UNIT) {
                    for (int s : e.sources()) {
                        queue.add(s);
                    }
                }
            }
            return 0;
        }

        /**
         * The clock source behind the output terminal's clock: through a selector (its first input: which
         * one is selected only the device can say) or a multiplier. When the terminal names none that
         * exists, the function's only clock source, if it has exactly one.
         */
        private static int clockSource(Function f, Entity output) {
            int id = output == null ? -1 : output.clock();
            for (int hop = 0; hop < MAX_HOPS && id > 0; hop++) {
                Entity e = f.entities.get(id);
                if (e == null) {
                    break;
                }
                if (e.kind() == Kind.CLOCK_SOURCE) {
                    return id;
                }
                if ((e.kind() == Kind.CLOCK_SELECTOR || e.kind() == Kind.CLOCK_MULTIPLIER)
                        && e.sources().length > 0) {
                    id = e.sources()[0];
                } else {
                    break;
                }
            }
            int only = -1;
            for (Map.Entry<Integer, Entity> e : f.entities.entrySet()) {
                if (e.getValue().kind() == Kind.CLOCK_SOURCE) {
                    if (only >= 0) {
                        return -1;
                    }
                    only = e.getKey();
                }
            }
            return only;
        }
    }
}
