package io.proxima.core.space;

import java.util.Arrays;

/** A growable {@code int[]}: no boxing on hot paths. */
public final class IntList {
    private int[] items;
    private int size;

    public IntList() {
        this(8);
    }

    public IntList(int capacity) {
        items = new int[Math.max(1, capacity)];
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " not in [0, " + size + ")");
        return items[i];
    }

    public void set(int i, int v) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " not in [0, " + size + ")");
        items[i] = v;
    }

    public void add(int v) {
        if (size == items.length) items = Arrays.copyOf(items, Math.max(8, items.length * 2));
        items[size++] = v;
    }

    public void swap(int i, int j) {
        int t = items[i];
        items[i] = items[j];
        items[j] = t;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(items, size);
    }

    /** The backing array; valid up to {@link #size()}. */
    public int[] raw() {
        return items;
    }

    public long footprintBytes() {
        return 16L + 4L * items.length + 16;
    }
}
