package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The differences between two canonical configurations (every default filled in), as paths under
 * {@code config}: what a create with a reused curriculum id names in its 409, so that a trainer that
 * asked for "dump, 4 rollouts" learns that the curriculum it would have reused is "sec, 8 rollouts".
 */
record ConfigDiff(List<Change> changes) {

    /** One differing value: its path (e.g. {@code config.groupPolicy.tau}), the stored and the requested JSON (null: absent). */
    record Change(String path, String existing, String requested) {
        @Override
        public String toString() {
            return path + " is " + (existing == null ? "absent" : existing) + ", requested " + (requested == null ? "absent" : requested);
        }
    }

    static ConfigDiff of(JsonNode existing, JsonNode requested) {
        List<Change> out = new ArrayList<>();
        walk("config", existing, requested, out);
        return new ConfigDiff(List.copyOf(out));
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>(); // stored order first, then keys only the request has
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) keys.add(it.next());
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) keys.add(it.next());
            for (String k : keys) walk(path + "." + k, a.get(k), b.get(k), out);
            return;
        }
        if (a == null && b == null) return;
        if (a == null || b == null || !a.equals(b)) out.add(new Change(path, a == null ? null : a.toString(), b == null ? null : b.toString()));
    }
}
