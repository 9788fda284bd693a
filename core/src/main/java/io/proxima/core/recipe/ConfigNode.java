package io.proxima.core.recipe;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a configuration, read once into a {@code Params} record. Every read names
 * its key; {@link #finish()} rejects keys nobody read, so a typo ({@code "tua"}) is an error that
 * lists the known keys, never a silently ignored setting.
 */
public final class ConfigNode {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();
    private final int defaults;

    public ConfigNode(String path, Map<String, Object> values) {
        this(path, values, Defaults.CURRENT);
    }

    /** A node read with the defaults of version {@code defaults} ({@link Defaults}); its children inherit it. */
    public ConfigNode(String path, Map<String, Object> values, int defaults) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
        this.defaults = defaults;
    }

    public static ConfigNode empty(String path) {
        return new ConfigNode(path, Map.of());
    }

    /** The version of the defaults this configuration runs ({@link Defaults}). */
    public int defaults() {
        return defaults;
    }

    /** {@code current} under the defaults of version 2 and later, {@code legacy} before. */
    public double byDefaults(double legacy, double current) {
        return defaults >= 2 ? current : legacy;
    }

    public String path() {
        return path;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    public double number(String key, double def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Number n)) throw new ConfigException(at(key), "must be a number, got " + describe(v));
        double d = n.doubleValue();
        if (!Double.isFinite(d)) throw new ConfigException(at(key), "must be finite, got " + d);
        return d;
    }

    /** A number checked against [min, max]. */
    public double number(String key, double def, double min, double max) {
        double d = number(key, def);
        if (d < min || d > max) throw new ConfigException(at(key), "must be in [" + min + ", " + max + "], got " + d);
        return d;
    }

    public int integer(String key, int def, int min, int max) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigException(at(key), "must be an integer, got " + describe(v));
        }
        double d = n.doubleValue();
        if (d < min || d > max) throw new ConfigException(at(key), "must be in [" + min + ", " + max + "], got " + n);
        return (int) d;
    }

    public long longValue(String key, long def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Number n) || (!(v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger)
                && n.doubleValue() != Math.rint(n.doubleValue()))) {
            throw new ConfigException(at(key), "must be an integer, got " + describe(v));
        }
        if (v instanceof java.math.BigInteger b && b.bitLength() > 63) throw new ConfigException(at(key), "does not fit in 64 bits: " + b);
        // a floating-point integer (1e19) outside the long range would saturate silently in longValue()
        boolean integral = v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger;
        if (!integral && (n.doubleValue() < -0x1p63 || n.doubleValue() >= 0x1p63)) {
            throw new ConfigException(at(key), "does not fit in 64 bits: " + v);
        }
        return n.longValue();
    }

    public boolean bool(String key, boolean def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Boolean b)) throw new ConfigException(at(key), "must be true or false, got " + describe(v));
        return b;
    }

    public String text(String key, String def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof String s)) throw new ConfigException(at(key), "must be a string, got " + describe(v));
        return s;
    }

    /** A string that must be one of {@code allowed}. */
    public String choice(String key, String def, List<String> allowed) {
        String s = text(key, def);
        if (!allowed.contains(s)) throw new ConfigException(at(key), "must be one of " + allowed + ", got \"" + s + "\"");
        return s;
    }

    /** The JSON array at {@code key}, or {@code null} when absent. */
    public List<Object> list(String key) {
        Object v = raw(key);
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw new ConfigException(at(key), "must be an array, got " + describe(v));
        return java.util.Collections.unmodifiableList(l);
    }

    /** The child object at {@code key} (empty when absent). */
    @SuppressWarnings("unchecked")
    public ConfigNode child(String key) {
        Object v = raw(key);
        if (v == null) return new ConfigNode(at(key), Map.of(), defaults);
        if (!(v instanceof Map)) throw new ConfigException(at(key), "must be an object, got " + describe(v));
        return new ConfigNode(at(key), (Map<String, Object>) v, defaults);
    }

    /** The objects of the array at {@code key} (empty when absent), named {@code key[i]}. */
    @SuppressWarnings("unchecked")
    public List<ConfigNode> children(String key) {
        Object v = raw(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw new ConfigException(at(key), "must be an array of objects, got " + describe(v));
        java.util.ArrayList<ConfigNode> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (!(o instanceof Map)) throw new ConfigException(at(key) + "[" + i + "]", "must be an object, got " + describe(o));
            out.add(new ConfigNode(at(key) + "[" + i + "]", (Map<String, Object>) o, defaults));
        }
        return out;
    }

    /** A copy of this node without {@code key} (for slots whose "type" is read elsewhere). */
    public ConfigNode without(String key) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.remove(key);
        return new ConfigNode(path, m, defaults);
    }

    /** The raw values, for canonical re-serialisation. */
    public Map<String, Object> values() {
        return values;
    }

    /** Throws when a key was given that no reader asked for. */
    public void finish() {
        for (String k : values.keySet()) {
            if (!read.contains(k)) {
                Set<String> known = new TreeSet<>(read);
                throw new ConfigException(at(k), "unknown key" + (known.isEmpty() ? " (this object takes no keys)" : "; known keys: " + known));
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        return String.valueOf(v);
    }
}
