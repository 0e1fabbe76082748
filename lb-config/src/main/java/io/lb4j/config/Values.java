package io.lb4j.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The raw values of one scope (global, the registration, or one service) and the typed reads of
 * them. A read that fails records a problem naming the key, the value and the rule, and returns
 * null, so that one pass reports every problem.
 */
final class Values {

    /** One key's text as given: a scalar, or the elements of an indexed list. */
    static final class Raw {
        final Key key;
        /** The key as the user spelled it, without any index. */
        final String given;
        String scalar;
        final TreeMap<Integer, String> indexed = new TreeMap<>();
        final Map<String, String> entries = new LinkedHashMap<>();

        Raw(Key key, String given) {
            this.key = key;
            this.given = given;
        }

        String shown() {
            if (scalar != null) {
                return scalar;
            }
            if (!indexed.isEmpty()) {
                return String.join(",", indexed.values());
            }
            return entries.toString();
        }
    }

    final String prefix;
    final List<String> problems;
    final Map<Key, Raw> raw = new LinkedHashMap<>();

    Values(String prefix, List<String> problems) {
        this.prefix = prefix;
        this.problems = problems;
    }

    boolean has(String name) {
        return raw.containsKey(key(name));
    }

    /** Whether the key is given as exactly {@code value} (ignoring case and surrounding blanks); records nothing. */
    boolean givenAs(String name, String value) {
        Raw r = raw.get(key(name));
        return r != null && r.scalar != null && r.scalar.trim().equalsIgnoreCase(value);
    }

    /** Whether any key of the group {@code name.} is given. */
    boolean hasGroup(String group) {
        for (Key k : raw.keySet()) {
            if (k.name().startsWith(group + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The key as written by the user (the documented spelling when absent). */
    String given(String name) {
        Raw r = raw.get(key(name));
        return r != null ? r.given : prefix + name;
    }

    void problem(String name, String rule) {
        Raw r = raw.get(key(name));
        problems.add(given(name) + (r != null ? ": '" + r.shown() + "'" : "") + " (" + rule + ")");
    }

    private Key key(String name) {
        Key k = Key.byRelaxedName(scope()).get(Key.relaxed(name));
        if (k == null) {
            throw new AssertionError("undocumented key " + name);
        }
        return k;
    }

    private Key.Scope scope() {
        return prefix.equals("lb4j.") ? Key.Scope.GLOBAL
                : prefix.equals("lb4j.registration.") ? Key.Scope.REGISTRATION : Key.Scope.SERVICE;
    }

    private String scalar(String name) {
        Raw r = raw.get(key(name));
        if (r == null) {
            return null;
        }
        if (r.scalar == null) {
            problem(name, "expected: " + r.key.type().expected() + ", not a list");
            return null;
        }
        String s = r.scalar.trim();
        if (s.isEmpty()) {
            problem(name, "expected: " + r.key.type().expected() + ", not an empty value");
            return null;
        }
        return s;
    }

    String string(String name) {
        return scalar(name);
    }

    Integer integer(String name) {
        String s = scalar(name);
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            problem(name, "expected: an integer");
            return null;
        }
    }

    Double decimal(String name) {
        String s = scalar(name);
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d) || Double.isInfinite(d) || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) {
                throw new NumberFormatException(s);
            }
            return d;
        } catch (NumberFormatException e) {
            problem(name, "expected: a number, like 0.5");
            return null;
        }
    }

    Boolean bool(String name) {
        String s = scalar(name);
        if (s == null) {
            return null;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                problem(name, "expected: true or false");
                return null;
        }
    }

    Duration duration(String name) {
        String s = scalar(name);
        if (s == null) {
            return null;
        }
        Duration d = parseDuration(s);
        if (d == null) {
            problem(name, "expected: " + Key.Type.DURATION.expected());
        }
        return d;
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, {@code 10us}, {@code 10ns}, or ISO-8601; null otherwise. */
    static Duration parseDuration(String s) {
        if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p' || s.startsWith("-P") || s.startsWith("-p"))) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int digitsStart = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digitsStart || i - digitsStart > 18) {
            return null;
        }
        long amount = Long.parseLong(s.substring(0, i));
        switch (s.substring(i).trim().toLowerCase(Locale.ROOT)) {
            case "ns":
                return Duration.ofNanos(amount);
            case "us":
                return Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                return null;
        }
    }

    List<String> list(String name) {
        Raw r = raw.get(key(name));
        if (r == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (r.scalar != null) {
            for (String part : r.scalar.split(",", -1)) {
                out.add(part.trim());
            }
        } else {
            for (String part : r.indexed.values()) {
                out.add(part.trim());
            }
        }
        if (out.contains("")) {
            problem(name, "expected: " + Key.Type.LIST.expected() + " without empty elements");
            return null;
        }
        return Collections.unmodifiableList(out);
    }

    Map<String, String> map(String name) {
        Raw r = raw.get(key(name));
        return r == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(r.entries));
    }

    /**
     * A problem with a pair of keys set together (a backoff's first wait and cap): it names the
     * key that was given, or, when both were, the one the rule is about.
     */
    void pairProblem(String first, String second, boolean aboutFirst, String rule) {
        problem(!has(second) || has(first) && aboutFirst ? first : second, rule);
    }

    /**
     * Hands a read value to a builder's setter, which holds the rule; a rejection becomes a
     * problem naming the key and the value, with the setter's own message as the rule.
     */
    <T> boolean apply(String name, T value, Consumer<T> setter) {
        if (value == null) {
            return false;
        }
        try {
            setter.accept(value);
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            problem(name, e.getMessage());
            return false;
        }
    }

    /** Records a problem for each given key of {@code group} (a name prefix) other than {@code except}. */
    void rejectGroup(String group, String except, String rule) {
        for (Key k : raw.keySet()) {
            if (k.name().startsWith(group) && !k.name().equals(except)) {
                problem(k.name(), rule);
            }
        }
    }

    /** Records a problem for each key of {@code group} when {@code allowed} is false. */
    void onlyWith(String group, boolean allowed, String condition) {
        if (allowed) {
            return;
        }
        for (Key k : raw.keySet()) {
            if (k.name().startsWith(group + ".") || k.name().equals(group)) {
                problem(k.name(), "only with " + condition);
            }
        }
    }
}
