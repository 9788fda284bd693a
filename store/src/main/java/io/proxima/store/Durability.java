package io.proxima.store;

import java.util.Locale;

/** When an acknowledged request is durable. */
public enum Durability {
    /** Each request commits (and fsyncs) its own transaction before it is answered. */
    SYNC,
    /**
     * Requests that arrive together, from any curricula, share one transaction (group commit,
     * waiting at most the group window for more); each is answered only after that commit.
     */
    GROUP;

    public static Durability parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("durability must be 'sync' or 'group', got '" + s + "'");
        }
    }
}
