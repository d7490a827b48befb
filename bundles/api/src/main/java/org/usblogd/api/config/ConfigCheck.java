package org.usblogd.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the properties of a configuration against a component's typed configuration annotation before the
 * component applies them, and builds the annotation's values from them.
 *
 * <p>Declarative Services would convert the values itself, but a value it cannot convert fails the whole
 * component ({@code NumberFormatException: For input string: "abc"}), a boolean it does not recognise
 * silently becomes {@code false}, and a misspelt key is silently ignored. Here the known keys are the
 * annotation's methods ({@code visibility_ms()} is {@code visibility.ms}) plus the patterns a component
 * reads by hand ({@code match.*}, {@code channel.*.unit}); booleans are {@code true} or {@code false} in any
 * case; numbers must parse and lie within their {@link Range}. A component takes the {@link Checked#config()}
 * only when {@link Checked#valid()}, and keeps what it runs with otherwise.
 *
 * @param <T> the component's configuration annotation
 */
public final class ConfigCheck<T extends Annotation> {
    /** Properties Configuration Admin, SCR and FileInstall add: not the administrator's keys. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "component.", "felix.", "osgi.");
    /** A reference's target filter ({@code recorder.target}): Declarative Services' own key. */
    private static final Pattern REFERENCE_TARGET = Pattern.compile("[A-Za-z_$][\\w$]*\\.target");
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final Class<T> type;
    private final Map<String, Method> attributes = new TreeMap<>();
    private final List<String> extraKeys;
    private final List<Pattern> extraPatterns = new ArrayList<>();

    private ConfigCheck(Class<T> type, List<String> extraKeys) {
        this.type = type;
        for (Method m : type.getDeclaredMethods()) {
            attributes.put(key(m.getName()), m);
        }
        this.extraKeys = List.copyOf(extraKeys);
        for (String k : extraKeys) {
            extraPatterns.add(Pattern.compile(Pattern.quote(k).replace("*", "\\E[^=]+\\Q")));
        }
    }

    /**
     * A check for one configuration annotation.
     *
     * @param extraKeys keys the component reads itself, besides the annotation's: literal, or with {@code *}
     *            standing for any part ({@code channel.*.unit})
     */
    public static <T extends Annotation> ConfigCheck<T> of(Class<T> type, String... extraKeys) {
        return new ConfigCheck<>(type, List.of(extraKeys));
    }

    /** The same, with the extra keys from more than one place. */
    public static <T extends Annotation> ConfigCheck<T> of(Class<T> type, java.util.Collection<String> extraKeys) {
        return new ConfigCheck<>(type, List.copyOf(extraKeys));
    }

    /** What a check found, and the configuration it stands for. */
    public record Checked<T>(T config, Map<String, Object> values, List<ConfigProblem> errors,
            List<ConfigProblem> unknownKeys) {
        public Checked {
            values = Collections.unmodifiableMap(new TreeMap<>(values));
            errors = List.copyOf(errors);
            unknownKeys = List.copyOf(unknownKeys);
        }

        /** The keys whose value differs from an earlier check's, as "key old -> new", sorted. */
        public List<String> changedFrom(Checked<T> before) {
            List<String> changed = new ArrayList<>();
            values.forEach((k, v) -> {
                Object old = before.values.get(k);
                if (!v.equals(old)) {
                    changed.add(secret(k) ? k + " changed" : k + " " + old + " -> " + v);
                }
            });
            return changed;
        }

        /** No value is wrong (unknown keys are reported, not refused: the rest of the file means what it says). */
        public boolean valid() {
            return errors.isEmpty();
        }

        /**
         * For a component that cannot run on defaults: each unknown key goes to {@code warn}, every wrong
         * value but the first to {@code error}, and the first is thrown.
         *
         * @throws IllegalArgumentException one line naming the file and its first wrong value
         */
        public T configOrThrow(java.util.function.Consumer<ConfigProblem> warn,
                java.util.function.Consumer<ConfigProblem> error) {
            unknownKeys.forEach(warn);
            if (!errors.isEmpty()) {
                errors.stream().skip(1).forEach(error);
                throw new IllegalArgumentException(errors.get(0).toString());
            }
            return config;
        }

        /** Errors first, then unknown keys. */
        public List<ConfigProblem> problems() {
            List<ConfigProblem> all = new ArrayList<>(errors);
            all.addAll(unknownKeys);
            return all;
        }
    }

    /**
     * Checks the properties of one configuration. The config it returns has every valid value of the
     * properties and the default of every attribute that is missing, blank or wrong.
     */
    public Checked<T> check(Map<String, ?> properties) {
        String file = file(properties);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> byKey = new TreeMap<>();
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> unknown = new ArrayList<>();
        for (Map.Entry<String, Method> a : attributes.entrySet()) {
            Method m = a.getValue();
            Object raw = properties.get(a.getKey());
            if (raw == null || raw instanceof String s && s.isBlank()) {
                if (m.getDefaultValue() == null) {
                    continue; // required and absent: the component says what it needs
                }
                values.put(m.getName(), m.getDefaultValue());
                continue;
            }
            String text = String.valueOf(raw).strip();
            String expected = expected(m);
            Object converted = convert(m, raw, text);
            if (converted == null) {
                errors.add(new ConfigProblem(file, a.getKey(), text, expected, false));
                if (m.getDefaultValue() != null) {
                    values.put(m.getName(), m.getDefaultValue());
                }
            } else {
                values.put(m.getName(), converted);
            }
        }
        new TreeMap<>(properties).forEach((k, v) -> {
            if (!attributes.containsKey(k) && FRAMEWORK_PREFIXES.stream().noneMatch(k::startsWith)
                    && !REFERENCE_TARGET.matcher(k).matches()
                    && extraPatterns.stream().noneMatch(p -> p.matcher(k).matches())) {
                String near = nearest(k);
                unknown.add(new ConfigProblem(file, k, secret(near) ? "(not shown)" : String.valueOf(v).strip(), near,
                        true));
            }
        });
        values.forEach((method, v) -> byKey.put(key(method), v));
        return new Checked<>(proxy(values), byKey, errors, unknown);
    }

    /**
     * Every problem of one file, as the lines the daemon logs: the checked values' first, then, when they
     * are right, the one {@code parse} throws (a component's own reading of the rest, such as its match keys).
     */
    public List<String> problems(Map<String, ?> properties,
            java.util.function.Consumer<Map<String, ?>> parse) {
        Checked<T> checked = check(properties);
        List<String> lines = new ArrayList<>();
        checked.problems().forEach(p -> lines.add(p.toString()));
        if (checked.valid()) {
            try {
                parse.accept(properties);
            } catch (IllegalArgumentException e) {
                lines.add(e.getMessage());
            }
        }
        return lines;
    }

    /** The file the properties came from, as a path; the PID when they came from elsewhere. */
    public static String file(Map<String, ?> properties) {
        Object f = properties.get(FILE_PROPERTY);
        if (f != null) {
            String s = f.toString();
            try {
                return s.startsWith("file:") ? Path.of(URI.create(s)).toString() : s;
            } catch (IllegalArgumentException e) {
                return s;
            }
        }
        Object pid = properties.get("service.pid");
        return "configuration " + (pid == null ? "(no file)" : pid);
    }

    /** Keys whose values never go into the log: passwords, and the HTTP API's token. */
    static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("token");
    }

    /** {@code true} or {@code false} in any case, or null: "yes", "1" or "on" are not guessed at. */
    public static Boolean strictBoolean(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
    }

    /** The known key nearest to a misspelt one, by edit distance. */
    String nearest(String key) {
        List<String> known = new ArrayList<>(attributes.keySet());
        known.addAll(extraKeys);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "nothing: this file takes no keys" : best;
    }

    /** Levenshtein distance; a few dozen keys of a few dozen characters. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** The property name Declarative Services maps an annotation method to ({@code visibility_ms}: visibility.ms). */
    static String key(String method) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c == '$') {
                if (method.startsWith("$_$", i)) {
                    b.append('-');
                    i += 2;
                } else if (method.startsWith("$$", i)) {
                    b.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (method.startsWith("__", i)) {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String expected(Method m) {
        Class<?> t = m.getReturnType();
        if (t == boolean.class) {
            return "true or false";
        }
        Range r = m.getAnnotation(Range.class);
        String range = r == null ? "" : r.max() == Long.MAX_VALUE ? " of at least " + r.min()
                : " from " + r.min() + " to " + r.max();
        if (t == int.class || t == long.class) {
            return "a whole number" + range;
        }
        if (t == double.class || t == float.class) {
            return "a number" + range;
        }
        OneOf words = m.getAnnotation(OneOf.class);
        return words == null ? "text" : "one of " + String.join(", ", words.value());
    }

    /** The value as the method's type, or null when it is not one or lies outside the method's range. */
    private static Object convert(Method m, Object raw, String text) {
        Class<?> t = m.getReturnType();
        if (t == String.class) {
            OneOf words = m.getAnnotation(OneOf.class);
            if (words != null) {
                return List.of(words.value()).contains(text.toLowerCase(Locale.ROOT)) ? text : null;
            }
            return raw instanceof String s ? s : String.valueOf(raw);
        }
        if (t == boolean.class) {
            return raw instanceof Boolean b ? b : strictBoolean(text);
        }
        Range r = m.getAnnotation(Range.class);
        try {
            if (t == int.class || t == long.class) {
                long n = raw instanceof Long || raw instanceof Integer ? ((Number) raw).longValue()
                        : Long.parseLong(text.replace("_", ""));
                if (r != null && (n < r.min() || n > r.max())
                        || t == int.class && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                    return null;
                }
                return t == int.class ? (Object) (int) n : (Object) n;
            }
            if (t == double.class || t == float.class) {
                double d = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                if (!Double.isFinite(d) || r != null && (d < r.min() || d > r.max())) {
                    return null;
                }
                return t == float.class ? (Object) (float) d : (Object) d;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        throw new IllegalArgumentException(type(m) + " has a type this check does not know: " + t);
    }

    private static String type(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName();
    }

    private T proxy(Map<String, Object> values) {
        Map<String, Object> fixed = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Object p = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (self, method, args) -> {
            switch (method.getName()) {
            case "annotationType":
                return type;
            case "toString":
                return type.getSimpleName() + fixed;
            case "hashCode":
                return fixed.hashCode();
            case "equals":
                return args[0] == self;
            default:
                if (!fixed.containsKey(method.getName())) {
                    throw new IllegalStateException(key(method.getName()) + " is required and not set");
                }
                return fixed.get(method.getName());
            }
        });
        return type.cast(p);
    }
}
