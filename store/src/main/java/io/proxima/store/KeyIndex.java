package io.proxima.store;

import java.nio.charset.StandardCharsets;

/**
 * The request keys (batch ids, request ids) a curriculum's log holds, as 64-bit fingerprints in an
 * open-addressing set: answers "was this key never used?" without a database read.
 *
 * <p>Why: every keyed {@code report}/{@code next} must know whether its key is new. Asking SQLite
 * costs a statement per request (a tenth of the server's CPU at small batches); almost every key
 * is new, and a fingerprint that is absent proves it. A present fingerprint (a real retry, or a
 * 2⁻⁶⁴-rare collision) is confirmed against the log. Memory: 8 bytes per slot at a load of at
 * most ½, so 8–16 bytes per keyed event held in the log.
 */
final class KeyIndex {
    private static final long EMPTY = 0;
    private long[] slots = new long[64];
    private int size;

    /** The fingerprint of {@code kind:key}; never {@link #EMPTY}. */
    static long fingerprint(int kind, String key) {
        // FNV-1a 64 over the UTF-8 bytes, then a finaliser so that near keys spread over slots.
        long h = 0xcbf29ce484222325L ^ kind;
        h *= 0x100000001b3L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    /** Adds a fingerprint (idempotent). */
    void add(long f) {
        if ((size + 1) * 2L > slots.length) grow();
        if (insert(slots, f)) size++;
    }

    /** False: the key was certainly never added. True: it probably was (confirm in the log). */
    boolean mightContain(long f) {
        int mask = slots.length - 1;
        for (int i = (int) f & mask; ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == f) return true;
            if (s == EMPTY) return false;
        }
    }

    int size() {
        return size;
    }

    void clear() {
        slots = new long[64];
        size = 0;
    }

    /** Heap bytes held. */
    long footprintBytes() {
        return 16L + 8L * slots.length;
    }

    private static boolean insert(long[] table, long f) {
        int mask = table.length - 1;
        for (int i = (int) f & mask; ; i = (i + 1) & mask) {
            long s = table[i];
            if (s == f) return false;
            if (s == EMPTY) {
                table[i] = f;
                return true;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long s : slots) if (s != EMPTY) insert(bigger, s);
        slots = bigger;
    }
}
