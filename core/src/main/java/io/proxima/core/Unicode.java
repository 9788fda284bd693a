package io.proxima.core;

/**
 * The one check every external string passes where it enters (task ids and groups, outcome task
 * ids and directive names, configuration keys and values, batch and request ids): it must be
 * valid Unicode, i.e. well-formed UTF-16 without an unpaired surrogate. Java strings may hold
 * one (JSON's {@code "\ud800"} decodes to it), but UTF-8 — the log, the database, every answer —
 * cannot: it would be stored as {@code ?}, and the curriculum after a restart would differ from
 * the one acknowledged. Such a string is refused, never repaired.
 */
public final class Unicode {
    private Unicode() {}

    /** Index of the first unpaired surrogate of {@code s}, or -1 when {@code s} is valid Unicode. */
    public static int firstUnpaired(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue; // the common case: one branch per char
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** Why {@code s} is not valid Unicode (a message that does not echo it), or null if it is. */
    public static String problem(CharSequence s) {
        int at = firstUnpaired(s);
        if (at < 0) return null;
        return String.format("must be valid Unicode text, but has an unpaired surrogate U+%04X at character %d"
                + " (UTF-8 cannot store it as sent)", (int) s.charAt(at), at);
    }

    /** {@code s}, or an {@link IllegalArgumentException} "{@code where} must be valid Unicode text…". */
    public static String require(String s, String where) {
        String p = s == null ? null : problem(s);
        if (p != null) throw new IllegalArgumentException(where + " " + p);
        return s;
    }
}
