package io.proxima.server.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} rows of a series, oldest first: a fixed array written round, so a
 * history's memory is bounded whatever the length of the run. Not thread-safe (its owner locks).
 *
 * <p>Layout: {@code rows[(start + i) % capacity]} is the i-th oldest of {@code size} rows.
 */
final class HistoryRing<T> {
    private final Object[] rows;
    private int start;
    private int size;
    private long dropped;

    HistoryRing(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.rows = new Object[capacity];
    }

    /** Appends a row, overwriting the oldest when full. */
    void add(T row) {
        if (size < rows.length) {
            rows[(start + size) % rows.length] = row;
            size++;
        } else {
            rows[start] = row;
            start = (start + 1) % rows.length;
            dropped++;
        }
    }

    int size() {
        return size;
    }

    int capacity() {
        return rows.length;
    }

    /** Rows overwritten so far (the history then starts after them). */
    long dropped() {
        return dropped;
    }

    @SuppressWarnings("unchecked")
    T get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("row " + i + " of " + size);
        return (T) rows[(start + i) % rows.length];
    }

    /** The newest {@code last} rows (all when there are fewer), oldest first. */
    List<T> newest(int last) {
        int n = Math.min(Math.max(last, 0), size);
        List<T> out = new ArrayList<>(n);
        for (int i = size - n; i < size; i++) out.add(get(i));
        return out;
    }
}
