package io.proxima.core.space;

import java.util.Locale;

/**
 * How a generated task derives from its parent (issue 16; CLPO's adaptive problem restructuring,
 * arXiv 2509.25004): {@code simplify} — an easier variant of a task the learner keeps failing;
 * {@code vary} — another variant of a task in the learnable band. The byte codes are stored in
 * snapshots and logged events: append only.
 */
public enum Derivation {
    SIMPLIFY((byte) 1),
    VARY((byte) 2);

    /** The code stored in snapshots and events (0 = not derived). */
    public final byte code;

    Derivation(byte code) {
        this.code = code;
    }

    /** The name on the wire: {@code simplify}, {@code vary}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The derivation named {@code key}, or null when none is. */
    public static Derivation ofKey(String key) {
        for (Derivation d : values()) if (d.key().equals(key)) return d;
        return null;
    }

    /** The derivation of a stored code; null for 0; throws on an unknown code. */
    public static Derivation ofCode(byte code) {
        if (code == 0) return null;
        for (Derivation d : values()) if (d.code == code) return d;
        throw new IllegalArgumentException("unknown derivation code " + code);
    }

    /** The wire names, for error messages. */
    public static String keys() {
        return "simplify, vary";
    }
}
