package io.proxima.sim.learner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One setting of a learner file and the values to try it at ({@code simulate --vary
 * optimizer.learningRate=0.0015,0.003,0.006}). A teacher's gain over the walk at one learning
 * rate is not a gain: on the lab's networks knapsack allocation won at the tuned rate and lost at
 * twice it (docs/lab.md). The sweep reruns the same comparison on each variant of the learner.
 *
 * <p>{@code path}: dotted keys into the learner's JSON; a numeric segment indexes an array
 * ({@code families.5.verifierNoise}). Objects on the way are created when missing (an optional
 * block such as {@code optimizer}); the learner's own strict reading then refuses a key it does
 * not know, naming it.
 */
public record LearnerSweep(String path, List<Object> values) {
    /** Most variants one sweep may run: each is a whole comparison. */
    public static final int MAX_VALUES = 16;

    public LearnerSweep {
        values = List.copyOf(values);
        if (path.isEmpty()) throw new IllegalArgumentException("--vary needs a setting's path before '='");
        if (values.isEmpty()) throw new IllegalArgumentException("--vary " + path + " needs at least one value");
        if (values.size() > MAX_VALUES) throw new IllegalArgumentException("--vary " + path + ": at most " + MAX_VALUES + " values, got " + values.size());
    }

    /** Parses {@code PATH=V1,V2,...}; a value is a JSON number, true/false, or else a string. */
    public static LearnerSweep parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("--vary must be PATH=V1,V2,... (e.g. optimizer.learningRate=0.0015,0.003), got '" + arg + "'");
        String path = arg.substring(0, eq).trim();
        if (path.isEmpty()) throw new IllegalArgumentException("--vary needs a setting's path before '=', got '" + arg + "'");
        for (String seg : path.split("\\.", -1)) {
            if (seg.isEmpty()) throw new IllegalArgumentException("--vary: the path '" + path + "' has an empty segment");
        }
        List<Object> values = new ArrayList<>();
        for (String v : arg.substring(eq + 1).split(",", -1)) {
            String t = v.trim();
            if (t.isEmpty()) throw new IllegalArgumentException("--vary " + path + ": an empty value in '" + arg.substring(eq + 1) + "'");
            values.add(value(t));
        }
        return new LearnerSweep(path, values);
    }

    private static Object value(String t) {
        if (t.equals("true") || t.equals("false")) return Boolean.parseBoolean(t);
        if (t.matches("-?\\d{1,18}")) {
            long l = Long.parseLong(t);
            return l == (int) l ? (Object) (int) l : (Object) l; // as Jackson reads JSON integers
        }
        try {
            double d = Double.parseDouble(t);
            if (Double.isFinite(d) && !t.endsWith("d") && !t.endsWith("f") && !t.endsWith("D") && !t.endsWith("F")) return d;
        } catch (NumberFormatException e) {
            // a string value
        }
        return t;
    }

    /** {@code path=value}, as the variant is named in reports. */
    public String label(Object value) {
        return path + "=" + text(value);
    }

    /** A name for the variant's report directory: the label with characters unsafe in file names replaced. */
    public String directory(Object value) {
        return label(value).replaceAll("[^A-Za-z0-9._=-]", "_");
    }

    private static String text(Object value) {
        return value instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d))
                : String.valueOf(value);
    }

    /**
     * A deep copy of {@code learner} with {@code path} set to {@code value}, and its {@code name}
     * (if it has one) suffixed with the label so reports say which variant they are.
     */
    public Map<String, Object> apply(Map<String, Object> learner, Object value) {
        Map<String, Object> copy = copyObject(learner);
        String[] seg = path.split("\\.");
        Object at = copy;
        for (int i = 0; i < seg.length; i++) {
            boolean last = i == seg.length - 1;
            String where = String.join(".", java.util.Arrays.copyOf(seg, i));
            if (at instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked") Map<String, Object> obj = (Map<String, Object>) m;
                if (last) {
                    obj.put(seg[i], value);
                } else {
                    Object next = obj.get(seg[i]);
                    if (next == null) {
                        next = new LinkedHashMap<String, Object>();
                        obj.put(seg[i], next);
                    }
                    at = next;
                }
            } else if (at instanceof List<?> l) {
                @SuppressWarnings("unchecked") List<Object> list = (List<Object>) l;
                int k;
                try {
                    k = Integer.parseInt(seg[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--vary " + path + ": " + where + " is an array; index it with a number, got '" + seg[i] + "'");
                }
                if (k < 0 || k >= list.size()) {
                    throw new IllegalArgumentException("--vary " + path + ": " + where + " has " + list.size() + " elements, no index " + k);
                }
                if (last) list.set(k, value);
                else at = list.get(k);
            } else {
                throw new IllegalArgumentException("--vary " + path + ": " + where + " is " + (at == null ? "null" : "a value")
                        + ", not an object or array");
            }
        }
        if (copy.get("name") instanceof String n) copy.put("name", n + " [" + label(value) + "]");
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copyObject(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) c.put(e.getKey(), copy(e.getValue()));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) return copyObject((Map<String, Object>) m);
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object o : l) c.add(copy(o));
            return c;
        }
        return v;
    }
}
