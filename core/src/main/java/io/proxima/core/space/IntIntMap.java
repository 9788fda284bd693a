package io.proxima.core.space;

import java.util.Arrays;

/**
 * An open-addressing map from non-negative {@code int} keys to non-zero {@code int} values (0
 * means absent), linear probing, at most half full; removal by backward shift, so no tombstones.
 * Sized by what it holds, not by the key range: a few thousand entries stay in cache where a
 * column over a million tasks would miss on every access.
 */
public final class IntIntMap {
    private static final int EMPTY = -1;
    private int[] keys;
    private int[] values;
    private int size;
    private int mask;

    public IntIntMap() {
        this(16);
    }

    public IntIntMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new int[cap];
        values = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    private int slot(int key) {
        return (key * 0x9E3779B9) >>> 7 & mask; // Fibonacci hashing spreads dense ids
    }

    /** The value of {@code key}, 0 when absent. */
    public int get(int key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return 0;
        }
    }

    /** Sets the value of {@code key} ({@code key} ≥ 0); 0 removes it. */
    public void put(int key, int value) {
        if (key < 0) throw new IllegalArgumentException("key must be >= 0, got " + key);
        if (value == 0) {
            remove(key);
            return;
        }
        int i = slot(key);
        for (; keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) grow();
    }

    private void remove(int key) {
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == EMPTY) return;
            i = (i + 1) & mask;
        }
        // backward shift: move later entries of the cluster into the hole when their slot allows it
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = 0;
        size--;
    }

    private void grow() {
        int[] k = keys, v = values;
        keys = new int[k.length * 2];
        values = new int[k.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < k.length; i++) if (k[i] != EMPTY) put(k[i], v[i]);
    }

    public int size() {
        return size;
    }

    /** The keys, ascending (a deterministic order for snapshots). */
    public int[] sortedKeys() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) if (k != EMPTY) out[n++] = k;
        Arrays.sort(out);
        return out;
    }

    public void clear() {
        Arrays.fill(keys, EMPTY);
        Arrays.fill(values, 0);
        size = 0;
    }

    public long footprintBytes() {
        return 8L * keys.length;
    }
}
