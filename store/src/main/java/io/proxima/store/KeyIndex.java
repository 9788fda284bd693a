package io.proxima.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where each request key (batch id, request id) of a curriculum's log is: a 64-bit fingerprint of
 * the key → the sequence number of its event, in an open-addressing table.
 *
 * <p>Why in memory: every keyed {@code report}/{@code next} must know whether its key is new.
 * Asking SQLite costs a statement per request, and a unique SQL index on the keys costs more: keys
 * arrive in no order, so every commit dirtied pages all over that index (it doubled the commit
 * time). Almost every key is new, and an absent fingerprint proves it with no I/O. A present one
 * (a real retry, or a 2⁻⁶⁴-rare collision) names the events to confirm by primary key.
 * Fingerprints may repeat (distinct keys that collide): every match is a candidate.
 *
 * <p>Memory: 16 bytes a slot at a load of at most ½, so 16–32 bytes per keyed event in the log.
 */
final class KeyIndex {
    private static final long EMPTY = 0;
    /** Interleaved (fingerprint, seq) pairs. */
    private long[] slots = new long[2 * 64];
    private int size;
    /** Events at or before this seq are gone from the log (keepEvents): their keys are forgotten. */
    private long floor;

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

    /** Records that the event {@code seq} carries a key with fingerprint {@code f} (idempotent). */
    void add(long f, long seq) {
        if ((size + 1) * 2L > capacity()) grow();
        if (insert(slots, f, seq)) size++;
    }

    /** Sequence numbers of the events whose key has fingerprint {@code f}; empty: the key is new. */
    long[] candidates(long f) {
        long[] out = null;
        int n = 0;
        int mask = capacity() - 1;
        for (int i = (int) f & mask; ; i = (i + 1) & mask) {
            long s = slots[2 * i];
            if (s == EMPTY) break;
            if (s == f && slots[2 * i + 1] > floor) {
                if (out == null) out = new long[2];
                else if (n == out.length) out = Arrays.copyOf(out, 2 * n);
                out[n++] = slots[2 * i + 1];
            }
        }
        return out == null ? NONE : Arrays.copyOf(out, n);
    }

    private static final long[] NONE = new long[0];

    int size() {
        return size;
    }

    /** The log no longer holds events up to {@code seq}: their keys are new again; their slots go at the next resize. */
    void forgetUpTo(long seq) {
        floor = Math.max(floor, seq);
    }

    void clear() {
        slots = new long[2 * 64];
        size = 0;
        floor = 0;
    }

    /** The live (fingerprint, seq) pairs, to be stored beside a snapshot: a restart then reads only the log after it. */
    byte[] toBytes() {
        io.proxima.core.snapshot.SnapshotWriter w = new io.proxima.core.snapshot.SnapshotWriter(8 + 16 * size);
        int live = 0;
        for (int i = 0; i < slots.length; i += 2) if (slots[i] != EMPTY && slots[i + 1] > floor) live++;
        w.writeInt(FORMAT);
        w.writeInt(live);
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != EMPTY && slots[i + 1] > floor) {
                w.writeLong(slots[i]);
                w.writeLong(slots[i + 1]);
            }
        }
        return w.toByteArray();
    }

    /** Adds the pairs of {@link #toBytes}; throws {@link IllegalArgumentException} on anything malformed. */
    void addAll(byte[] bytes) {
        io.proxima.core.snapshot.SnapshotReader r = new io.proxima.core.snapshot.SnapshotReader(bytes);
        int format = r.readInt();
        if (format != FORMAT) throw new IllegalArgumentException("key index format " + format + " is not supported (this build reads " + FORMAT + ")");
        int n = r.readInt();
        if (n < 0) throw new IllegalArgumentException("corrupt key index: negative count " + n);
        for (int i = 0; i < n; i++) {
            long f = r.readLong();
            long seq = r.readLong();
            if (f == EMPTY || seq <= 0) throw new IllegalArgumentException("corrupt key index: pair " + i + " is (" + f + ", " + seq + ")");
            add(f, seq);
        }
        if (!r.atEnd()) throw new IllegalArgumentException("corrupt key index: trailing bytes");
    }

    private static final int FORMAT = 1;

    /** Heap bytes held. */
    long footprintBytes() {
        return 16L + 8L * slots.length;
    }

    private int capacity() {
        return slots.length / 2;
    }

    private static boolean insert(long[] table, long f, long seq) {
        int mask = table.length / 2 - 1;
        for (int i = (int) f & mask; ; i = (i + 1) & mask) {
            long s = table[2 * i];
            if (s == f && table[2 * i + 1] == seq) return false;
            if (s == EMPTY) {
                table[2 * i] = f;
                table[2 * i + 1] = seq;
                return true;
            }
        }
    }

    /** Doubles the table, or rebuilds it at the same size when forgotten slots make up half of it. */
    private void grow() {
        int live = 0;
        for (int i = 0; i < slots.length; i += 2) if (slots[i] != EMPTY && slots[i + 1] > floor) live++;
        long[] next = new long[(live + 1) * 2L > capacity() / 2 ? slots.length * 2 : slots.length];
        for (int i = 0; i < slots.length; i += 2) if (slots[i] != EMPTY && slots[i + 1] > floor) insert(next, slots[i], slots[i + 1]);
        slots = next;
        size = live;
    }
}
