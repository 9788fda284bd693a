package io.proxima.core.space;

import java.util.Arrays;

/**
 * External string id ↔ dense int id, for pools of up to ~500M tasks.
 *
 * <p>Layout: {@code keys[id]} holds the string of dense id {@code id}; {@code table} is an
 * open-addressing hash table (linear probing, power-of-two size, load ≤ 0.5) whose slots hold
 * {@code id + 1}, 0 meaning empty. So the index costs 4–8 bytes a task beyond the strings,
 * instead of the ~50 of a {@code HashMap<String, Integer>} entry.
 */
public final class IdIndex {
    private String[] keys = new String[16];
    private int[] table = new int[32];
    private int size;

    public int size() {
        return size;
    }

    /** The dense id of {@code key}, or -1. */
    public int find(String key) {
        int mask = table.length - 1;
        for (int slot = mix(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) return -1;
            if (keys[entry - 1].equals(key)) return entry - 1;
        }
    }

    /** Adds a new key and returns its dense id; the caller checks for duplicates first. */
    public int add(String key) {
        if (size == keys.length) keys = Arrays.copyOf(keys, keys.length * 2);
        if (2 * (size + 1) > table.length) rehash(table.length * 2);
        int id = size++;
        keys[id] = key;
        insert(id);
        return id;
    }

    public String key(int id) {
        if (id < 0 || id >= size) throw new IndexOutOfBoundsException("task " + id + " not in [0, " + size + ")");
        return keys[id];
    }

    private void insert(int id) {
        int mask = table.length - 1;
        int slot = mix(keys[id].hashCode()) & mask;
        while (table[slot] != 0) slot = (slot + 1) & mask;
        table[slot] = id + 1;
    }

    private void rehash(int newLength) {
        table = new int[newLength];
        for (int id = 0; id < size; id++) insert(id);
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Bytes of the index structures, the strings excluded. */
    public long footprintBytes() {
        return 32L + 4L * table.length + 8L * keys.length;
    }
}
